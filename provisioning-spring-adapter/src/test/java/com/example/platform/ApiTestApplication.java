package com.example.platform;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A host platform as the REST tests see it: its own security (HTTP Basic; an admin who reads and writes, a viewer
 * who reads, an intruder with no authority), an H2 database with its tenants table, and the library auto-configured.
 */
@SpringBootApplication
public class ApiTestApplication {
    public static final String PASSWORD = "s3cret-demo-password";

    @Bean
    SecurityFilterChain hostSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("admin").password("{noop}" + PASSWORD)
                        .authorities("platform:tenants:read", "platform:tenants:write").build(),
                User.withUsername("viewer").password("{noop}" + PASSWORD).authorities("platform:tenants:read").build(),
                User.withUsername("intruder").password("{noop}" + PASSWORD).authorities("something:else").build());
    }
}
