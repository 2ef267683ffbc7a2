package com.dotmac.provisioning.console;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.console.internal.ConsoleAccess;
import com.dotmac.provisioning.console.internal.ConsoleAdvice;
import com.dotmac.provisioning.console.internal.ConsoleAssets;
import com.dotmac.provisioning.console.internal.ConsoleSettings;
import com.dotmac.provisioning.console.internal.JobsController;
import com.dotmac.provisioning.console.internal.OverviewController;
import com.dotmac.provisioning.console.internal.RolloutsController;
import com.dotmac.provisioning.console.internal.TenantController;
import com.dotmac.provisioning.spring.ProvisioningWebAutoConfiguration;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The operator console ({@code provisioning.console.enabled=true}; off by default) under
 * {@code provisioning.console.base-path} (default {@value ConsoleProperties#DEFAULT_BASE_PATH}). It needs the
 * starter's REST API access policy ({@link ProvisioningAccessPolicy}): with Spring Security, the read authority to
 * look and the write authority for the buttons, checked against the authentication the host's own security chain
 * established. The host secures the base path (a login, CSRF for the POST forms). Every bean can be replaced.
 */
@AutoConfiguration(after = ProvisioningWebAutoConfiguration.class)
@ConditionalOnProperty(name = "provisioning.console.enabled", havingValue = "true")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet",
    "org.thymeleaf.spring6.SpringTemplateEngine"})
@ConditionalOnBean({TenantProvisioner.class, ProvisioningAccessPolicy.class})
@EnableConfigurationProperties(ConsoleProperties.class)
public class ProvisioningConsoleAutoConfiguration {
    /**
     * @param properties {@code provisioning.console.*}
     * @return the settings the pages use
     */
    @Bean
    @ConditionalOnMissingBean
    public ConsoleSettings provisioningConsoleSettings(ConsoleProperties properties) {
        return new ConsoleSettings(properties.getBasePath(), properties.getAwxUiUrl(),
                properties.getRefreshInterval().toMillis(), properties.getPageSize());
    }

    /**
     * @param policy the starter's access policy
     * @return who may look and act
     */
    @Bean
    @ConditionalOnMissingBean
    public ConsoleAccess provisioningConsoleAccess(ProvisioningAccessPolicy policy) {
        return new ConsoleAccess(policy);
    }

    /**
     * @param provisioner the library
     * @param access who may look
     * @param clock the host's clock, if it has one
     * @return the overview page
     */
    @Bean
    @ConditionalOnMissingBean
    public OverviewController provisioningConsoleOverview(TenantProvisioner provisioner, ConsoleAccess access,
            ObjectProvider<Clock> clock) {
        return new OverviewController(provisioner, access, clock.getIfUnique(Clock::systemUTC));
    }

    /**
     * @param provisioner the library
     * @param access who may look and act
     * @param settings the settings
     * @return the jobs pages
     */
    @Bean
    @ConditionalOnMissingBean
    public JobsController provisioningConsoleJobs(TenantProvisioner provisioner, ConsoleAccess access,
            ConsoleSettings settings) {
        return new JobsController(provisioner, access, settings);
    }

    /**
     * @param provisioner the library
     * @param access who may look
     * @param settings the settings
     * @return the tenant page
     */
    @Bean
    @ConditionalOnMissingBean
    public TenantController provisioningConsoleTenant(TenantProvisioner provisioner, ConsoleAccess access,
            ConsoleSettings settings) {
        return new TenantController(provisioner, access, settings);
    }

    /**
     * @param provisioner the library
     * @param access who may look and steer
     * @param settings the settings
     * @return the rollout pages
     */
    @Bean
    @ConditionalOnMissingBean
    public RolloutsController provisioningConsoleRollouts(TenantProvisioner provisioner, ConsoleAccess access,
            ConsoleSettings settings) {
        return new RolloutsController(provisioner, access, settings);
    }

    /**
     * @param settings the settings
     * @return the pages' shared model and error page
     */
    @Bean
    @ConditionalOnMissingBean
    public ConsoleAdvice provisioningConsoleAdvice(ConsoleSettings settings) {
        return new ConsoleAdvice(settings);
    }

    /**
     * @param settings the settings
     * @return the CSS and script, served from the jar
     */
    @Bean
    @ConditionalOnMissingBean
    public ConsoleAssets provisioningConsoleAssets(ConsoleSettings settings) {
        return new ConsoleAssets(settings);
    }
}
