package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.ansible.AnsiblePlaybookRunner;
import com.dotmac.provisioning.ansible.AnsibleRunnerConfig;
import com.dotmac.provisioning.ansible.CustomerCredentials;
import com.dotmac.provisioning.spi.AutomationRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The local {@link AnsiblePlaybookRunner} from {@code provisioning.ansible.*}, when {@code provisioning.runner} is
 * {@code ansible}, or {@code auto} with {@code provisioning.ansible.project-dir} set and no AWX base URL.
 */
@AutoConfiguration(before = ProvisioningAutoConfiguration.class, after = ProvisioningAwxAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnClass(AnsiblePlaybookRunner.class)
@Conditional(RunnerConditions.Ansible.class)
@EnableConfigurationProperties(ProvisioningProperties.class)
public class ProvisioningAnsibleAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningAnsibleAutoConfiguration.class);

    /**
     * @return the local runner
     * @throws ProvisioningConfigurationException when the project directory is missing or a setting is unusable
     */
    @Bean
    @ConditionalOnMissingBean(AutomationRunner.class)
    public AnsiblePlaybookRunner provisioningAnsibleRunner(ProvisioningProperties properties) {
        ProvisioningProperties.Ansible ansible = properties.getAnsible();
        if (ansible.getProjectDir() == null) {
            throw new ProvisioningConfigurationException("provisioning.runner=ansible but "
                    + "provisioning.ansible.project-dir is not set.", "Set provisioning.ansible.project-dir to the "
                    + "directory holding playbooks/, roles/ and inventories/ (the repository's ansible/ folder).");
        }
        AnsibleRunnerConfig.Builder config = AnsibleRunnerConfig.builder()
                .projectDirectory(ansible.getProjectDir())
                .ansiblePlaybookCommand(ansible.getAnsiblePlaybookCommand())
                .maxConcurrentRuns(ansible.getMaxConcurrentRuns())
                .fixedExtraVars(ansible.getExtraVars());
        if (ansible.getWorkspace() != null) {
            config.workspace(ansible.getWorkspace());
        }
        if (ansible.isCustomerSshDefaults() && !ansible.getCustomerKeyFiles().isEmpty()) {
            throw new ProvisioningConfigurationException("both provisioning.ansible.customer-ssh-defaults and "
                    + "provisioning.ansible.customer-key-files are set.", "Choose one way for customer-hosted jobs to "
                    + "log in: a key file per registered credential, or the JVM user's own keys.");
        }
        if (ansible.isCustomerSshDefaults()) {
            log.warn("provisioning.ansible.customer-ssh-defaults=true: customer-hosted runs log in with the SSH agent"
                    + " and default keys of the user running this JVM");
            config.customerCredentials(CustomerCredentials.SSH_DEFAULTS);
        } else if (!ansible.getCustomerKeyFiles().isEmpty()) {
            config.customerCredentials(CustomerCredentials.keyFiles(ansible.getCustomerKeyFiles()));
        }
        try {
            AnsibleRunnerConfig built = config.build();
            log.info("tenant provisioning runs ansible-playbook locally: project {}, runs in {}",
                    built.projectDirectory(), built.workspace());
            return new AnsiblePlaybookRunner(built);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ProvisioningConfigurationException("provisioning.ansible.* is not usable: " + e.getMessage(),
                    "Correct the local Ansible settings named above.");
        }
    }
}
