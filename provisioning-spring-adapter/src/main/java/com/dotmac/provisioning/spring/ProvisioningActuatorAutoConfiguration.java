package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spring.actuate.ProvisioningHealthIndicator;
import com.dotmac.provisioning.spring.actuate.ProvisioningMetrics;
import com.dotmac.provisioning.spring.actuate.RolloutMetrics;
import com.dotmac.provisioning.spi.RolloutRepository;
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
import org.springframework.core.Ordered;

/**
 * Actuator health ({@code provisioning}: runner, repository and tenant directory, see
 * {@code provisioning.health.*}) and Micrometer metrics (jobs, runs in flight, and, with a rollout repository,
 * rollouts by status and their tenants' outcomes), each when its library is present.
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

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(RolloutRepository.class)
        RolloutMetrics provisioningRolloutMetrics(MeterRegistry registry, RolloutRepository repository) {
            return new RolloutMetrics(registry, repository, Clock.systemUTC(), RolloutMetrics.DEFAULT_REFRESH_AFTER);
        }

        /** Counts the tenant outcomes: first of the customizers, so a host's own may still replace the repository. */
        @Bean
        @ConditionalOnBean(RolloutMetrics.class)
        TenantProvisionerCustomizer provisioningRolloutMetricsCustomizer(RolloutMetrics metrics,
                RolloutRepository repository) {
            return new MeteredRollouts(metrics, repository);
        }
    }

    /** Gives the provisioner the rollout repository bean, counting the tenant outcomes it records. */
    static final class MeteredRollouts implements TenantProvisionerCustomizer, Ordered {
        private final RolloutMetrics metrics;
        private final RolloutRepository repository;

        MeteredRollouts(RolloutMetrics metrics, RolloutRepository repository) {
            this.metrics = metrics;
            this.repository = repository;
        }

        @Override
        public void customize(TenantProvisioner.Builder builder) {
            builder.rolloutRepository(metrics.metered(repository));
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
