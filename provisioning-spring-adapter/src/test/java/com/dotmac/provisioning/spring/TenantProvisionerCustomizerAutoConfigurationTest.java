package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** {@link TenantProvisionerCustomizer} beans: applied after the properties, in their order, before the build. */
class TenantProvisionerCustomizerAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ProvisioningAutoConfiguration.class))
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

    /** Two customizers, declared against their order; each records its turn. */
    @Configuration(proxyBeanMethods = false)
    static class TwoCustomizers {
        final List<String> turns = new CopyOnWriteArrayList<>();
        final List<JobEvent> heard = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        TenantProvisionerCustomizer second() {
            return builder -> {
                turns.add("second");
                builder.maxLaunchAttempts(3);
            };
        }

        @Bean
        @Order(1)
        TenantProvisionerCustomizer first() {
            return builder -> {
                turns.add("first");
                builder.maxLaunchAttempts(2).leaseDuration(Duration.ofMinutes(7))
                        .listener((job, event) -> heard.add(event));
            };
        }
    }

    @Test
    void customizersRunInTheirOrderAfterThePropertiesAndTheLastWordWins() {
        runner.withUserConfiguration(TwoCustomizers.class)
                .withPropertyValues("provisioning.engine.max-launch-attempts=5",
                        "provisioning.engine.lease-duration=9m", "provisioning.engine.job-timeout=40m")
                .run(ctx -> {
                    TwoCustomizers customizers = ctx.getBean(TwoCustomizers.class);
                    assertThat(customizers.turns).containsExactly("first", "second");
                    EngineSettings settings = ctx.getBean(TenantProvisioner.class).settings();
                    assertThat(settings.maxLaunchAttempts()).as("the later customizer wins").isEqualTo(3);
                    assertThat(settings.leaseDuration()).as("a customizer overrides a property")
                            .isEqualTo(Duration.ofMinutes(7));
                    assertThat(settings.jobTimeout()).as("what no customizer touches keeps its property")
                            .isEqualTo(Duration.ofMinutes(40));
                });
    }

    @Test
    void aListenerAddedByACustomizerHearsTheJobs() {
        runner.withUserConfiguration(TwoCustomizers.class).run(ctx -> {
            ((InMemoryTenantDirectory) ctx.getBean(TenantDirectory.class)).put("acme", "acme", "pending");
            TenantProvisioner provisioner = ctx.getBean(TenantProvisioner.class);
            String id = provisioner.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED))
                    .id();
            List<JobEvent> heard = ctx.getBean(TwoCustomizers.class).heard;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
            assertThat(heard).extracting(JobEvent::jobId).contains(id);
        });
    }

    @Test
    void withoutCustomizersThePropertiesAlone() {
        runner.withPropertyValues("provisioning.engine.max-launch-attempts=5").run(ctx -> assertThat(
                ctx.getBean(TenantProvisioner.class).settings().maxLaunchAttempts()).isEqualTo(5));
    }
}
