package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.spring.actuate.ProvisioningHealthIndicator;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The provisioning health reports the jobs that wait on a refusing tenant directory (issue 15, item 6): UP with the
 * count and the oldest refusal while it is short, DOWN once the directory has refused for longer than the threshold.
 */
class TenantDirectoryHealthTest {
    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicBoolean refusing = new AtomicBoolean(true);
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("acme", "acme", "pending");
    private final TenantProvisioner provisioner = TenantProvisioner.builder()
            .runner(new ScriptedAutomationRunner(clock))
            .tenantDirectory(new TenantDirectory() {
                @Override
                public Optional<Tenant> find(String tenantId) {
                    return tenants.find(tenantId);
                }

                @Override
                public void applyStatus(String tenantId, String status, TenantStatusChange change) {
                    if (refusing.get()) {
                        throw new IllegalStateException("tenants table is locked");
                    }
                    tenants.applyStatus(tenantId, status, change);
                }
            })
            .scheduler(scheduler).clock(clock).nodeId("node-1").jitter(() -> 0.999)
            .build();

    @AfterEach
    void close() {
        provisioner.close();
    }

    /** Moves the clock a minute at a time, sweeping each time, for the given time. */
    private void sweepFor(Duration d) {
        for (Duration done = Duration.ZERO; done.compareTo(d) < 0; done = done.plusMinutes(1)) {
            clock.advance(Duration.ofMinutes(1));
            scheduler.runPending();
            provisioner.sweepNow();
            scheduler.runPending();
        }
    }

    @Test
    void aRefusingDirectoryShowsInTheHealthAndTurnsItDownAfterTheThreshold() {
        ProvisioningHealthIndicator health = new ProvisioningHealthIndicator(provisioner, clock,
                ProvisioningHealthIndicator.DEFAULT_RUNNER_CACHE);
        provisioner.start();
        assertThat(health.health().getDetails()).containsEntry("tenant_directory", Map.of("waiting_jobs", 0));

        Instant first = clock.instant();
        ProvisioningJob job = provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice").build());
        sweepFor(Duration.ofMinutes(10));

        Health waiting = health.health();
        assertThat(waiting.getStatus()).isEqualTo(Status.UP);
        assertThat(waiting.getDetails()).containsEntry("tenant_directory",
                Map.of("waiting_jobs", 1, "oldest_since", first.toString()));

        sweepFor(Duration.ofMinutes(25)); // 35 minutes of refusals: longer than the default 30-minute threshold
        Health down = health.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("tenant_directory_problem")).asString()
                .contains("refused", "1 job", "35m");

        refusing.set(false);
        sweepFor(Duration.ofMinutes(10));
        assertThat(provisioner.job(job.id()).orElseThrow().status().isTerminal()).isTrue();
        Health healed = health.health();
        assertThat(healed.getStatus()).isEqualTo(Status.UP);
        assertThat(healed.getDetails()).containsEntry("tenant_directory", Map.of("waiting_jobs", 0))
                .doesNotContainKey("tenant_directory_problem");
    }

    @Test
    void theThresholdIsTheHosts() {
        ProvisioningHealthIndicator health = new ProvisioningHealthIndicator(provisioner, clock,
                ProvisioningHealthIndicator.DEFAULT_RUNNER_CACHE, Duration.ofMinutes(5));
        provisioner.start();
        provisioner.request(ProvisioningRequest.builder("acme").deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .requestedBy("alice").build());
        sweepFor(Duration.ofMinutes(4));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        sweepFor(Duration.ofMinutes(2));
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
