package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spring.actuate.ProvisioningHealthIndicator;
import com.dotmac.provisioning.spring.actuate.ProvisioningMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health ({@code provisioning}: runner, repository and tenant directory, see
 * {@code provisioning.health.*}) and Micrometer metrics, each when its library is
 * present.
 */
@AutoConfiguration(after = ProvisioningAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
public class ProvisioningActuatorAutoConfiguration {

    /** Health, when spring-boot-health is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(TenantProvisioner.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "provisioningHealthIndicator")
        ProvisioningHealthIndicator provisioningHealthIndicator(TenantProvisioner provisioner,
                ObjectProvider<ProvisioningProperties> properties) {
            ProvisioningProperties bound = properties.getIfAvailable(ProvisioningProperties::new);
            return new ProvisioningHealthIndicator(provisioner, Clock.systemUTC(),
                    ProvisioningHealthIndicator.DEFAULT_RUNNER_CACHE,
                    bound.getHealth().getTenantDirectoryDownAfter());
        }
    }

    /** Metrics, when Micrometer and a registry are present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        ProvisioningMetrics provisioningMetrics(MeterRegistry registry,
                com.dotmac.provisioning.spi.JobRepository repository) {
            return new ProvisioningMetrics(registry, repository);
        }
    }
}
