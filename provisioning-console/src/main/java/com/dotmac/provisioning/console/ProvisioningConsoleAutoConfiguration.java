package com.dotmac.provisioning.console;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.console.internal.ConsoleConfiguration;
import com.dotmac.provisioning.spring.ProvisioningWebAutoConfiguration;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The operator console ({@code provisioning.console.enabled=true}; off by default) under
 * {@code provisioning.console.base-path} (default {@value ConsoleProperties#DEFAULT_BASE_PATH}). It needs the
 * starter's REST API access policy ({@link ProvisioningAccessPolicy}): with Spring Security, the read authority to
 * look and the write authority for the buttons, checked against the authentication the host's own security chain
 * established; a host's {@link com.dotmac.provisioning.spring.web.TenantAccessRule} narrows it to tenants as in the
 * REST API. The host secures the base path (a login, CSRF for the POST forms). The console's beans (pages, error
 * page, assets) are its own, not API: a host configures them with {@link ConsoleProperties} and replaces the access
 * policy, not the pages.
 */
@AutoConfiguration(after = ProvisioningWebAutoConfiguration.class)
@ConditionalOnProperty(name = "provisioning.console.enabled", havingValue = "true")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet",
    "org.thymeleaf.spring6.SpringTemplateEngine"})
@ConditionalOnBean({TenantProvisioner.class, ProvisioningAccessPolicy.class})
@EnableConfigurationProperties(ConsoleProperties.class)
@Import(ConsoleConfiguration.class)
public class ProvisioningConsoleAutoConfiguration {
    /** Used by Spring Boot's auto-configuration. */
    public ProvisioningConsoleAutoConfiguration() {
    }
}
