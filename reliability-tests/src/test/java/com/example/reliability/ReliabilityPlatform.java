package com.example.reliability;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A host platform as the REST reliability tests see it, outside the library's packages: its own Spring Security
 * (HTTP Basic; an operator who reads and writes tenants' jobs), a PostgreSQL database with its tenants table, and
 * the provisioning library auto-configured from {@code provisioning.*} properties.
 */
@SpringBootApplication
public class ReliabilityPlatform {
    /** The operator's user name. */
    public static final String OPERATOR = "operator";
    /** The operator's password: a secret the tests look for in responses, rows and logs. */
    public static final String OPERATOR_PASSWORD = "platform-operator-password-5d1c7e0a";

    @Bean
    SecurityFilterChain platformSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    UserDetailsService platformUsers() {
        return new InMemoryUserDetailsManager(User.withUsername(OPERATOR).password("{noop}" + OPERATOR_PASSWORD)
                .authorities("platform:tenants:read", "platform:tenants:write").build());
    }
}
