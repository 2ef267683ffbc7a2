package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.console.ConsoleProperties;
import com.dotmac.provisioning.spring.web.EventStreams;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console's beans, imported by {@link com.dotmac.provisioning.console.ProvisioningConsoleAutoConfiguration}: the
 * settings, the access check, the controllers, the error page and the assets. Their types are this package's own
 * (not API), so no public signature names them. Thread-safe once the context is refreshed.
 */
@Configuration(proxyBeanMethods = false)
public final class ConsoleConfiguration {
    /** Used by Spring. */
    public ConsoleConfiguration() {
    }

    @Bean
    ConsoleSettings provisioningConsoleSettings(ConsoleProperties properties, ObjectProvider<EventStreams> streams) {
        return new ConsoleSettings(properties.getBasePath(), properties.getAwxUiUrl(),
                properties.getRefreshInterval().toMillis(), properties.getPageSize(), streams.getIfUnique() != null);
    }

    @Bean
    ConsoleAccess provisioningConsoleAccess(ProvisioningAccessPolicy policy) {
        return new ConsoleAccess(policy);
    }

    @Bean
    OverviewController provisioningConsoleOverview(TenantProvisioner provisioner, ConsoleAccess access,
            ObjectProvider<Clock> clock) {
        return new OverviewController(provisioner, access, clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    JobsController provisioningConsoleJobs(TenantProvisioner provisioner, ConsoleAccess access,
            ConsoleSettings settings, ObjectProvider<Clock> clock) {
        return new JobsController(provisioner, access, settings, clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    TenantController provisioningConsoleTenant(TenantProvisioner provisioner, ConsoleAccess access,
            ConsoleSettings settings) {
        return new TenantController(provisioner, access, settings);
    }

    @Bean
    RolloutsController provisioningConsoleRollouts(TenantProvisioner provisioner, ConsoleAccess access,
            ConsoleSettings settings) {
        return new RolloutsController(provisioner, access, settings);
    }

    /** The event streams the live parts follow, when the starter's REST API made its {@link EventStreams}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(EventStreams.class)
    static class Streams {
        @Bean
        StreamsController provisioningConsoleStreams(TenantProvisioner provisioner, ConsoleAccess access,
                EventStreams streams) {
            return new StreamsController(provisioner, access, streams);
        }
    }

    @Bean
    ConsoleAdvice provisioningConsoleAdvice(ConsoleSettings settings) {
        return new ConsoleAdvice(settings);
    }

    @Bean
    ConsoleAssets provisioningConsoleAssets(ConsoleSettings settings) {
        return new ConsoleAssets(settings);
    }
}
