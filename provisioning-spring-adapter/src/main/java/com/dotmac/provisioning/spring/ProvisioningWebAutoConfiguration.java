package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spring.web.ApiJsonConverter;
import com.dotmac.provisioning.spring.web.ApiJsonMapper;
import com.dotmac.provisioning.spring.web.EventStreamController;
import com.dotmac.provisioning.spring.web.EventStreamSettings;
import com.dotmac.provisioning.spring.web.EventStreams;
import com.dotmac.provisioning.spring.web.OpenAccessPolicy;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import com.dotmac.provisioning.spring.web.ProvisioningController;
import com.dotmac.provisioning.spring.web.ProvisioningExceptionHandler;
import com.dotmac.provisioning.spring.web.ProvisioningWebMvcConfigurer;
import com.dotmac.provisioning.spring.web.RolloutController;
import com.dotmac.provisioning.spring.web.WebhookDeadLetterController;
import com.dotmac.provisioning.spring.web.SpringSecurityAccessPolicy;
import com.dotmac.provisioning.spring.web.TenantAccessRule;
import com.dotmac.provisioning.webhooks.sender.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API of README "REST API". With Spring Security on the classpath, reads need
 * {@code provisioning.web.read-authority} and writes {@code provisioning.web.write-authority}, checked against the
 * authentication the host's security chain establishes; the callback endpoint authenticates by the job's token only
 * and gets a security chain of the library's own ({@link ProvisioningCallbackSecurityAutoConfiguration}). Without Spring Security nothing is exposed unless
 * {@code provisioning.web.security=none} (logged as a warning).
 */
@AutoConfiguration(after = ProvisioningAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBooleanProperty(name = "provisioning.web.enabled", matchIfMissing = true)
@ConditionalOnBean(TenantProvisioner.class)
public class ProvisioningWebAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningWebAutoConfiguration.class);
    private static final String WEBHOOKS = "com.dotmac.provisioning.webhooks.sender.Webhooks";
    private static final String SECURITY_CONTEXT = "org.springframework.security.core.context.SecurityContextHolder";

    /** The endpoints and their error mapping, whenever one of the access policies below applies. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(ApiExposed.class)
    static class Endpoints {
        @Bean
        @ConditionalOnMissingBean
        ProvisioningController provisioningController(TenantProvisioner provisioner, ProvisioningAccessPolicy access,
                ProvisioningProperties properties) {
            return new ProvisioningController(provisioner, access, properties.getWeb().getBasePath());
        }

        @Bean
        @ConditionalOnMissingBean
        RolloutController provisioningRolloutController(TenantProvisioner provisioner,
                ProvisioningAccessPolicy access, ProvisioningProperties properties) {
            return new RolloutController(provisioner, access, properties.getWeb().getBasePath());
        }

        /** @return the node's open event streams and the shared task that follows them; closed at shutdown */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        EventStreams provisioningEventStreams(ProvisioningProperties properties,
                ObjectProvider<JsonMapper> hostMapper) {
            EventStreamProperties p = properties.getWeb().getEventStream();
            return new EventStreams(new EventStreamSettings(p.getPollInterval(), p.getHeartbeat(), p.getRetry(),
                    p.getMaxConnections(), p.getMaxDuration()), ApiJsonMapper.from(hostMapper.getIfUnique()));
        }

        @Bean
        @ConditionalOnMissingBean
        EventStreamController provisioningEventStreamController(TenantProvisioner provisioner,
                ProvisioningAccessPolicy access, EventStreams streams) {
            return new EventStreamController(provisioner, access, streams);
        }

        /** The webhook dead letters, when webhooks are configured ({@link ProvisioningWebhooksAutoConfiguration}). */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = WEBHOOKS)
        @ConditionalOnBean(type = WEBHOOKS)
        static class WebhookEndpoints {
            @Bean
            @ConditionalOnMissingBean
            WebhookDeadLetterController provisioningWebhookDeadLetterController(Webhooks webhooks,
                    ProvisioningAccessPolicy access) {
                return new WebhookDeadLetterController(webhooks, access);
            }
        }

        @Bean
        @ConditionalOnMissingBean
        ProvisioningExceptionHandler provisioningExceptionHandler() {
            return new ProvisioningExceptionHandler();
        }

        /**
         * The API's JSON: the host's {@code JsonMapper} (Spring Boot's, when it made one) with the API's contract on
         * top, for the API's own bodies only. Not a {@code JsonMapper} or converter bean, so nothing of the host's
         * changes.
         */
        @Bean
        ProvisioningWebMvcConfigurer provisioningWebMvcConfigurer(ObjectProvider<JsonMapper> hostMapper) {
            return new ProvisioningWebMvcConfigurer(new ApiJsonConverter(ApiJsonMapper.from(hostMapper.getIfUnique())));
        }
    }

    /** The API behind Spring Security. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = SECURITY_CONTEXT)
    @ConditionalOnProperty(name = "provisioning.web.security", havingValue = "spring-security", matchIfMissing = true)
    static class SecuredApi {
        /** @return authorities from the authenticated principal, then the host's {@link TenantAccessRule} if any */
        @Bean
        @ConditionalOnMissingBean
        ProvisioningAccessPolicy provisioningAccessPolicy(ProvisioningProperties properties,
                ObjectProvider<TenantAccessRule> tenantRule) {
            return new SpringSecurityAccessPolicy(properties.getWeb().getReadAuthority(),
                    properties.getWeb().getWriteAuthority(), tenantRule.getIfAvailable(() -> TenantAccessRule.ALL_TENANTS));
        }
    }

    /** The API without any access control ({@code provisioning.web.security=none}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "provisioning.web.security", havingValue = "none")
    static class OpenApi {
        @Bean
        @ConditionalOnMissingBean
        ProvisioningAccessPolicy provisioningAccessPolicy() {
            log.warn("provisioning.web.security=none: the provisioning REST API is exposed WITHOUT any access "
                    + "control. Use this for local demos only.");
            return new OpenAccessPolicy();
        }
    }

    /** Matches when {@link SecuredApi} or {@link OpenApi} applies. */
    static final class ApiExposed extends AnyNestedCondition {
        ApiExposed() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnClass(name = SECURITY_CONTEXT)
        @ConditionalOnProperty(name = "provisioning.web.security", havingValue = "spring-security",
                matchIfMissing = true)
        static final class Secured {
        }

        @ConditionalOnProperty(name = "provisioning.web.security", havingValue = "none")
        static final class Open {
        }
    }

    /** Spring Security is missing and the API was not opened explicitly: nothing is exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(SECURITY_CONTEXT)
    @ConditionalOnProperty(name = "provisioning.web.security", havingValue = "spring-security", matchIfMissing = true)
    static class NoApi {
        @Bean
        SmartInitializingSingleton provisioningApiNotExposedNotice() {
            return () -> log.warn("The provisioning REST API is NOT exposed: Spring Security is not on the "
                    + "classpath. Add spring-boot-starter-security, or set provisioning.web.security=none to expose "
                    + "it without access control (demos only).");
        }
    }
}
