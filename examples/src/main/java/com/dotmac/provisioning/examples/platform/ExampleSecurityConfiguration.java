package com.dotmac.provisioning.examples.platform;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The platform's own security: HTTP Basic, stateless, an {@code admin} who reads and writes and a {@code viewer}
 * who reads (demo passwords from {@code example.security.*}; override them). The provisioning API checks the
 * authorities {@code platform:tenants:read} / {@code platform:tenants:write}; health stays public, its details are shown
 * to holders of {@code platform:tenants:read} only ({@code management.endpoint.health.roles}). The operator console
 * ({@code /provisioning-console}) has its own chain: a login form, a session and CSRF tokens.
 */
@Configuration(proxyBeanMethods = false)
public class ExampleSecurityConfiguration {
    static final String READ = "platform:tenants:read";
    static final String WRITE = "platform:tenants:write";

    /**
     * The operator console (and the login form it leads to, with its stylesheet): a browser's session with a login
     * form, CSRF tokens on its POST forms (Spring Security's defaults). Ordered before the API's stateless chain, which matches the rest.
     */
    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http,
            @Value("${provisioning.console.base-path:/provisioning-console}") String consolePath) throws Exception {
        // with the login form's stylesheet and the icon browsers ask for: in the API's chain they would get a Basic
        // challenge, and the browser would prompt for a password over the login form (or never finish loading it)
        http.securityMatcher(consolePath, consolePath + "/**", "/login", "/logout", "/default-ui.css", "/favicon.ico")
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain platformSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/tenants").hasAuthority(WRITE)
                        .requestMatchers(HttpMethod.GET, "/api/v1/tenants/*").hasAnyAuthority(READ, WRITE)
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(PasswordEncoder encoder,
            @Value("${example.security.admin-user:admin}") String adminUser,
            @Value("${example.security.admin-password:admin-demo-password}") String adminPassword,
            @Value("${example.security.viewer-user:viewer}") String viewerUser,
            @Value("${example.security.viewer-password:viewer-demo-password}") String viewerPassword) {
        return new InMemoryUserDetailsManager(
                User.withUsername(adminUser).password(encoder.encode(adminPassword)).authorities(READ, WRITE).build(),
                User.withUsername(viewerUser).password(encoder.encode(viewerPassword)).authorities(READ).build());
    }
}
