package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.awx.AwxRequestListener;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spring.actuate.AwxRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * The {@link AwxAutomationRunner} from {@code provisioning.awx.*}, when {@code provisioning.runner} is {@code awx},
 * or {@code auto} with {@code provisioning.awx.base-url} set.
 */
@AutoConfiguration(before = ProvisioningAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnClass(AwxAutomationRunner.class)
@Conditional(RunnerConditions.Awx.class)
@EnableConfigurationProperties(ProvisioningProperties.class)
public class ProvisioningAwxAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningAwxAutoConfiguration.class);

    /**
     * @return the AWX runner
     * @throws ProvisioningConfigurationException when the base URL, the credentials or the job templates are
     *     missing or contradictory
     */
    @Bean
    @ConditionalOnMissingBean(AutomationRunner.class)
    public AwxAutomationRunner provisioningAwxRunner(ProvisioningProperties properties,
            ObjectProvider<AwxRequestListener> requestListener, ObjectProvider<RequestVariables> requestVariables) {
        AwxProperties awx = properties.getAwx();
        if (!StringUtils.hasText(awx.getBaseUrl())) {
            throw new ProvisioningConfigurationException("provisioning.runner=awx but provisioning.awx.base-url is "
                    + "not set.", "Set provisioning.awx.base-url to your AWX or AAP gateway URL.");
        }
        AwxConfig.Builder config = AwxConfig.builder()
                .baseUrl(awx.getBaseUrl())
                .apiPath(StringUtils.hasText(awx.getApiPath()) ? awx.getApiPath() : null)
                .organizationId(awx.getOrganizationId())
                .dotmacHostedInventoryId(awx.getInventories().getDotmacHosted())
                .connectTimeout(awx.getConnectTimeout())
                .readTimeout(awx.getReadTimeout())
                .retryBackoff(new Backoff(awx.getRetryInitialDelay(), awx.getRetryMultiplier(),
                        awx.getRetryMaxDelay(), awx.getRetryJitter()))
                .insecureSkipTlsVerify(!awx.isVerifyTls())
                .requestListener(requestListener.getIfAvailable(() -> AwxRequestListener.NONE))
                .surveyVariables(surveyVariables(properties,
                        requestVariables.getIfAvailable(() -> RequestVariables.DEFAULT)));
        Duration launchSettleTime = awx.getLaunchSettleTime();
        if (launchSettleTime != null) {
            config.launchSettleTime(launchSettleTime);
        }
        if (StringUtils.hasText(awx.getToken())) {
            config.token(awx.getToken());
        } else if (StringUtils.hasText(awx.getUsername()) && StringUtils.hasText(awx.getPassword())) {
            config.basicAuth(awx.getUsername(), awx.getPassword());
        } else {
            throw new ProvisioningConfigurationException("no AWX credentials are configured.",
                    "Set provisioning.awx.token (an AWX personal access token; on AAP 2.5+ a gateway token), or "
                            + "provisioning.awx.username and provisioning.awx.password.");
        }
        AwxProperties.JobTemplates templates = awx.getJobTemplates();
        putTemplate(config, Operation.PROVISION, templates.getProvision());
        putTemplate(config, Operation.UPGRADE, templates.getUpgrade());
        putTemplate(config, Operation.DECOMMISSION, templates.getDecommission());
        if (templates.getProvision() == null && templates.getUpgrade() == null && templates.getDecommission() == null) {
            throw new ProvisioningConfigurationException("no AWX job template is configured.",
                    "Set provisioning.awx.job-templates.provision (and .upgrade, .decommission) to the ids of the "
                            + "job templates that run the playbooks; enable 'Prompt on launch' for Variables.");
        }
        try {
            AwxConfig built = config.build();
            log.info("tenant provisioning runs AWX job templates at {}", built.baseUrl());
            return new AwxAutomationRunner(built);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProvisioningConfigurationException("provisioning.awx.* is not usable: " + e.getMessage(),
                    "Correct the AWX settings named above.");
        }
    }

    /** AWX requests by outcome, when Micrometer and a registry are present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean(AwxRequestListener.class)
        AwxRequestMetrics provisioningAwxRequestMetrics(MeterRegistry registry) {
            return new AwxRequestMetrics(registry);
        }
    }

    /** What a template guarded by its survey must list beyond the contract: declared variables, callback URL and token. */
    private static List<String> surveyVariables(ProvisioningProperties properties, RequestVariables declared) {
        List<String> names = new ArrayList<>(declared.names());
        if (StringUtils.hasText(properties.getCallback().getBaseUrl())) {
            names.add(PlaybookVariables.PLATFORM_CALLBACK_URL);
            names.add(PlaybookVariables.PLATFORM_CALLBACK_TOKEN);
        }
        return names;
    }

    private static void putTemplate(AwxConfig.Builder config, Operation operation, @Nullable Long templateId) {
        if (templateId != null) {
            config.jobTemplate(operation, templateId);
        }
    }
}
