package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.spi.TenantDirectory;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.SecurityFilterChain;

/** When the library contributes its callback chain, and when it backs off (issue 22). */
class CallbackSecurityAutoConfigurationTest {
    private static final String CHAIN = ProvisioningCallbackSecurityAutoConfiguration.CALLBACK_CHAIN_BEAN;

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                    UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
                    ProvisioningAutoConfiguration.class, ProvisioningWebAutoConfiguration.class,
                    ProvisioningCallbackSecurityAutoConfiguration.class))
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

    @Test
    void aHostWithoutChainsKeepsSpringBootsDefaultChainBesideTheCallbackChain() {
        web.run(ctx -> {
            assertThat(ctx).hasBean(CHAIN);
            assertThat(ctx.getBeansOfType(SecurityFilterChain.class)).hasSize(2);
        });
    }

    @Test
    void aHostChainNamedLikeTheCallbackChainReplacesIt() {
        web.withBean(CHAIN, SecurityFilterChain.class, () -> new HostChain()).run(ctx -> {
            assertThat(ctx.getBean(CHAIN)).isInstanceOf(HostChain.class);
            assertThat(ctx.getBeansOfType(SecurityFilterChain.class)).hasSize(1);
        });
    }

    @Test
    void thePropertyTurnsTheCallbackChainOff() {
        web.withPropertyValues("provisioning.web.callback-security=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(CHAIN);
            assertThat(ctx).hasSingleBean(SecurityFilterChain.class);
        });
    }

    @Test
    void anOpenApiOrNoApiHasNoCallbackChain() {
        web.withPropertyValues("provisioning.web.security=none").run(ctx -> assertThat(ctx).doesNotHaveBean(CHAIN));
        web.withPropertyValues("provisioning.web.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(CHAIN));
    }

    @Test
    void withoutSpringSecuritysWebConfigurationNoChainIsAdded() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ProvisioningAutoConfiguration.class,
                        ProvisioningWebAutoConfiguration.class, ProvisioningCallbackSecurityAutoConfiguration.class))
                .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
                .withPropertyValues("provisioning.runner=scripted")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(CHAIN);
                });
    }

    /** A host's own chain for the callback path. */
    private static final class HostChain implements SecurityFilterChain {
        @Override
        public boolean matches(HttpServletRequest request) {
            return false;
        }

        @Override
        public List<Filter> getFilters() {
            return List.of();
        }
    }
}
