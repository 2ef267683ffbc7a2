package com.example.platform;

import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.memory.InMemoryRolloutRepository;
import com.dotmac.provisioning.spring.web.TenantAccessRule;
import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.SerializationFeature;

/**
 * A host platform as the REST tests see it: its own security (HTTP Basic; an admin who reads and writes, a viewer
 * who reads, an intruder with no authority, and a tenant's own admin who may act on tenant {@link #OWN_TENANT} only),
 * an H2 database with its tenants table, credentials it registers at run time, its own JSON endpoint
 * ({@link HostJsonController}) and Jackson setting (indented output), and the library auto-configured.
 */
@SpringBootApplication
public class ApiTestApplication {
    public static final String PASSWORD = "s3cret-demo-password";
    /** The only tenant the user {@code tenant-admin} may act on. */
    public static final String OWN_TENANT = "own-tenant";
    private static final String TENANT_AUTHORITY = "tenant:";

    /** @return the credentials tenants may use; tests register them as they create tenants */
    @Bean
    InMemoryCredentialPolicy credentials() {
        return new InMemoryCredentialPolicy();
    }

    /**
     * @return the host's rollouts in memory, while provisioning-jdbc has no rollout repository (the starter gives a
     *     durable job repository only a durable rollout repository); with it, the starter's JDBC one is used
     */
    @Bean
    @ConditionalOnMissingClass("com.dotmac.provisioning.jdbc.JdbcRolloutRepository")
    InMemoryRolloutRepository rollouts() {
        return new InMemoryRolloutRepository();
    }

    /** @return callers holding {@code tenant:<id>} authorities act on those tenants only; operators on all */
    @Bean
    TenantAccessRule ownTenantsOnly() {
        return (auth, action, tenantId) -> {
            List<String> own = auth.getAuthorities().stream().map(a -> a.getAuthority())
                    .filter(a -> a.startsWith(TENANT_AUTHORITY)).map(a -> a.substring(TENANT_AUTHORITY.length()))
                    .toList();
            return own.isEmpty() || own.contains(tenantId);
        };
    }

    /** @return a host setting of its Jackson mapper that the provisioning API carries through */
    @Bean
    JsonMapperBuilderCustomizer indentedJson() {
        return builder -> builder.enable(SerializationFeature.INDENT_OUTPUT);
    }

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
                User.withUsername("intruder").password("{noop}" + PASSWORD).authorities("something:else").build(),
                User.withUsername("tenant-admin").password("{noop}" + PASSWORD)
                        .authorities("platform:tenants:read", "platform:tenants:write", TENANT_AUTHORITY + OWN_TENANT)
                        .build());
    }
}
