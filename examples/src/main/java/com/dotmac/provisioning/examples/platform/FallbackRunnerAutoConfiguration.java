package com.dotmac.provisioning.examples.platform;

import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spring.ProvisioningAutoConfiguration;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * When neither AWX nor local Ansible is configured or available, the example runs a simulation rather than failing
 * to start, and says so plainly. Ordered after the library's runner auto-configurations, so a real runner always
 * wins.
 */
@AutoConfiguration(before = ProvisioningAutoConfiguration.class,
        afterName = {"com.dotmac.provisioning.spring.ProvisioningAwxAutoConfiguration",
            "com.dotmac.provisioning.spring.ProvisioningAnsibleAutoConfiguration"})
public class FallbackRunnerAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(FallbackRunnerAutoConfiguration.class);

    /** @return simulated runs that succeed after two polls */
    @Bean
    @ConditionalOnMissingBean(AutomationRunner.class)
    public AutomationRunner simulatedRunner() {
        log.warn("*** NOTICE: no AWX (provisioning.awx.base-url) and no local Ansible (ansible-playbook on the PATH "
                + "and the ansible/ project) were found: tenant automation is SIMULATED. Nothing is built. ***");
        return new ScriptedAutomationRunner(Clock.systemUTC()).defaultScript(Script.succeedAfter(2)
                .withArtifacts(Map.of("note", "simulated run: no automation was executed")));
    }
}
