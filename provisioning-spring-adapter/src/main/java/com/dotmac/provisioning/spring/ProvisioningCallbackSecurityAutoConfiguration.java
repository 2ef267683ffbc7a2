package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.spring.web.ProvisioningController;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The security of the callback endpoint ({@code POST <base-path>/tenants/*}{@code /provisioning/jobs/*}{@code
 * /callback}): a {@link SecurityFilterChain} of the library's own, limited by {@code securityMatcher} to that path and
 * method and ordered ({@link #CALLBACK_CHAIN_ORDER}) before the host's chains. It lets the request reach the
 * controller, which accepts it only with the job's own token ({@code Authorization: Bearer <token>}); for this
 * machine-to-machine call it keeps Spring Security's response headers, turns CSRF protection off (there is no
 * browser session to ride on) and keeps no session or saved request. Every other path, the rest of the REST API
 * included, stays with the host's chains.
 *
 * <p>It backs off when the host defines a bean named {@value #CALLBACK_CHAIN_BEAN} (its own chain for the callback
 * path) or sets {@code provisioning.web.callback-security=false} (the host's chains then must let the callback
 * through unauthenticated, e.g. with {@code permitAll()} for that path and CSRF off). It comes after Spring Boot's
 * security auto-configurations, so a host without any chain of its own keeps Spring Boot's default chain for
 * everything else; without Spring Security's web configuration ({@code HttpSecurity}, e.g. when the host turned
 * Spring Boot's off and has no {@code @EnableWebSecurity}) there is no chain to add to, and none is added.
 */
@AutoConfiguration(after = ProvisioningWebAutoConfiguration.class, afterName = {
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.security.config.annotation.web.builders.HttpSecurity",
    "org.springframework.security.web.SecurityFilterChain"})
@ConditionalOnProperty(name = "provisioning.web.security", havingValue = "spring-security", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "provisioning.web.callback-security", matchIfMissing = true)
@ConditionalOnBean(ProvisioningController.class)
public class ProvisioningCallbackSecurityAutoConfiguration {
    /**
     * The callback chain's order: {@code Ordered.HIGHEST_PRECEDENCE + 100}, before chains with the default order
     * and any small {@code @Order} a host gives its chains (a host chain ordered lower still sees the callback first,
     * so it must let it through).
     */
    public static final int CALLBACK_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** The callback chain's bean name; a host bean of this name replaces it. */
    public static final String CALLBACK_CHAIN_BEAN = "provisioningCallbackSecurityFilterChain";

    /**
     * @param http the prototype {@link HttpSecurity} of the host's Spring Security set-up
     * @param matchers the host's request matcher builder (Spring Boot's, aware of the servlet path), if any
     * @param properties for {@code provisioning.web.base-path}
     * @return the chain for the callback path only
     * @throws Exception when Spring Security cannot build the chain
     */
    @Bean(name = CALLBACK_CHAIN_BEAN)
    @Order(CALLBACK_CHAIN_ORDER)
    @ConditionalOnMissingBean(name = CALLBACK_CHAIN_BEAN)
    @ConditionalOnBean(HttpSecurity.class)
    public SecurityFilterChain provisioningCallbackSecurityFilterChain(HttpSecurity http,
            ObjectProvider<PathPatternRequestMatcher.Builder> matchers, ProvisioningProperties properties)
            throws Exception {
        PathPatternRequestMatcher.Builder matcher = matchers.getIfAvailable(PathPatternRequestMatcher::withDefaults);
        http.securityMatcher(matcher.matcher(HttpMethod.POST, callbackPattern(properties)))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * @param properties for {@code provisioning.web.base-path}
     * @return the callback path as a pattern, e.g. {@code /api/v1/tenants/*}{@code /provisioning/jobs/*}{@code
     *     /callback}
     */
    static String callbackPattern(ProvisioningProperties properties) {
        return properties.getWeb().getBasePath().replaceAll("/+$", "") + "/tenants/*/provisioning/jobs/*/callback";
    }
}
