package com.example.host;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A host application as a platform team writes it, outside the library's packages: two security chains of its own
 * (its API under {@code /api/**} first, with HTTP Basic, its own authority names and CSRF left on; a catch-all chain
 * with a form login after it), its users, its tenants table in H2, and the library auto-configured with AWX (a fake),
 * JDBC and callbacks. The library's callback path lies under the host's API chain.
 */
@SpringBootApplication
public class HostSecurityApplication {
    /** The password of every user. */
    public static final String PASSWORD = "host-demo-password-7d1c";

    /** @return the host's API chain: every call authenticated by HTTP Basic, CSRF protection as Spring sets it */
    @Bean
    @Order(1)
    SecurityFilterChain hostApiSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }

    /** @return the host's chain for everything else: a form login; Spring's error page open to all */
    @Bean
    SecurityFilterChain hostWebSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers("/error").permitAll().anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    /** @return an operator who reads and writes tenants, and a user with no provisioning authority */
    @Bean
    UserDetailsService hostUsers() {
        return new InMemoryUserDetailsManager(
                User.withUsername("operator").password("{noop}" + PASSWORD)
                        .authorities("platform:tenants:read", "platform:tenants:write").build(),
                User.withUsername("clerk").password("{noop}" + PASSWORD).authorities("billing:read").build());
    }
}
