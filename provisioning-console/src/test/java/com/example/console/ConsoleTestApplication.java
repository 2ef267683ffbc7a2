package com.example.console;

import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spring.web.TenantAccessRule;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A host as the console's tests see it: form login with sessions and CSRF (Spring Security's defaults), an admin
 * who reads and writes and a viewer who reads, tenants in memory, and the scripted runner (tests script a tenant's
 * runs: fail, hang until cancelled, succeed).
 */
@SpringBootApplication
public class ConsoleTestApplication {
    /** Every user's password. */
    public static final String PASSWORD = "console-test-password-7f3a";
    /** The one tenant the user {@code tenant-reader} may read (a tenant's own admin, as the host's rule says). */
    public static final String OWN_TENANT = "pages-own-tenant";

    @Bean
    InMemoryTenantDirectory tenants() {
        return new InMemoryTenantDirectory();
    }

    @Bean
    ScriptedAutomationRunner runner() {
        return new ScriptedAutomationRunner(Clock.systemUTC()).defaultScript(Script.succeedAfter(1));
    }

    /** @return the host's tenant rule: callers holding a {@code tenant:<id>} authority see only those tenants */
    @Bean
    TenantAccessRule ownTenantsOnly() {
        return (auth, action, tenantId) -> {
            List<String> own = auth.getAuthorities().stream().map(a -> String.valueOf(a.getAuthority()))
                    .filter(a -> a.startsWith("tenant:")).toList();
            return own.isEmpty() || own.contains("tenant:" + tenantId);
        };
    }

    @Bean
    SecurityFilterChain hostSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("admin").password("{noop}" + PASSWORD)
                        .authorities("platform:tenants:read", "platform:tenants:write").build(),
                User.withUsername("viewer").password("{noop}" + PASSWORD).authorities("platform:tenants:read").build(),
                User.withUsername("tenant-reader").password("{noop}" + PASSWORD)
                        .authorities("platform:tenants:read", "tenant:" + OWN_TENANT).build(),
                User.withUsername("intruder").password("{noop}" + PASSWORD).authorities("something:else").build());
    }
}
