package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryRolloutRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spring.actuate.RolloutMetrics;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Where the auto-configured provisioner keeps its rollouts, and the rollout metrics. */
class RolloutAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ProvisioningJdbcAutoConfiguration.class,
                    ProvisioningAutoConfiguration.class, ProvisioningActuatorAutoConfiguration.class))
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted", "provisioning.engine.poll-interval=50ms",
                    "provisioning.engine.sweep-interval=50ms");

    @Test
    void jobsInMemoryGetRolloutsInMemoryAndTheProvisionerUsesThem() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(InMemoryJobRepository.class).hasSingleBean(InMemoryRolloutRepository.class);
            TenantProvisioner provisioner = ctx.getBean(TenantProvisioner.class);
            ((InMemoryTenantDirectory) ctx.getBean(TenantDirectory.class)).put("acme", "acme", "pending");
            Rollout started = provisioner.rollout(provision("acme"));
            assertThat(ctx.getBean(InMemoryRolloutRepository.class).find(started.id())).isPresent();
        });
    }

    @Test
    void durableJobsNeverGetRolloutsInMemory() {
        runner.withBean(javax.sql.DataSource.class, () -> org.h2.jdbcx.JdbcConnectionPool.create("jdbc:h2:mem:"
                + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""))
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(InMemoryRolloutRepository.class);
                    assertThat(ctx).hasSingleBean(com.dotmac.provisioning.jdbc.JdbcRolloutRepository.class);
                    // read from the rollout tables, which the job repository created
                    assertThat(ctx.getBean(TenantProvisioner.class).rollouts().page(1, 10).total()).isZero();
                });
    }

    @Test
    void aJobRepositoryOfTheHostsOwnGetsNoRolloutsUnlessTheHostGivesThem() {
        runner.withBean(JobRepository.class, () -> new ForwardingJobRepository(new InMemoryJobRepository()) { })
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(RolloutRepository.class);
                    assertThatThrownBy(() -> ctx.getBean(TenantProvisioner.class).rollouts())
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("RolloutRepository");
                });
        runner.withBean(JobRepository.class, () -> new ForwardingJobRepository(new InMemoryJobRepository()) { })
                .withBean("hostRollouts", RolloutRepository.class, InMemoryRolloutRepository::new)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(RolloutRepository.class);
                    assertThat(ctx.getBean(TenantProvisioner.class).rollouts().page(1, 10).total()).isZero();
                });
    }

    @Test
    void withMicrometerRolloutsAreCountedByStatusAndTheirTenantsByOutcome() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
            assertThat(ctx).hasSingleBean(RolloutMetrics.class);
            InMemoryTenantDirectory tenants = (InMemoryTenantDirectory) ctx.getBean(TenantDirectory.class);
            tenants.put("north", "north", "pending").put("south", "south", "pending");
            TenantProvisioner provisioner = ctx.getBean(TenantProvisioner.class);
            Rollout started = provisioner.rollout(provision("north", "south"));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> provisioner.rollouts()
                    .find(started.id()).orElseThrow().status() == RolloutStatus.COMPLETED);

            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.get("provisioning.rollouts.tenants.finished").tag("status", "succeeded").counter()
                    .count()).isEqualTo(2);
            assertThat(registry.get("provisioning.rollouts").tag("status", "completed").gauge().value())
                    .isEqualTo(1);
        });
    }

    private static RolloutRequest provision(String... tenants) {
        return RolloutRequest.builder(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .tenants(TenantSelection.of(List.of(tenants))).build();
    }
}
