package com.dotmac.provisioning.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryRolloutRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rollout metrics on a {@link SimpleMeterRegistry}, over a real provisioner (in-memory repositories, scripted
 * runner, manual scheduler and clock): rollouts counted by status, tenant outcomes counted as they are recorded.
 */
class RolloutMetricsTest {
    private static final Duration POLL = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final InMemoryRolloutRepository rollouts = new InMemoryRolloutRepository();
    private final RolloutMetrics metrics = new RolloutMetrics(registry, rollouts, clock, Duration.ZERO);
    private final TenantProvisioner provisioner = TenantProvisioner.builder().repository(new InMemoryJobRepository())
            .runner(runner).tenantDirectory(tenants).scheduler(scheduler).clock(clock).pollInterval(POLL)
            .rolloutRepository(metrics.metered(rollouts)).build();

    @AfterEach
    void close() {
        provisioner.close();
    }

    @Test
    void rolloutsAreCountedByStatusAndTheirTenantsByOutcome() {
        provisioner.start();
        for (String t : List.of("a", "b", "c", "d")) {
            tenants.put(t, t, "pending");
        }
        runner.script("b", Script.failAfter(1, "deploy", "b", "disk full"));
        assertThat(gauge(RolloutStatus.RUNNING)).isZero();

        Rollout first = provisioner.rollout(provision(List.of("a", "b"), FailureThreshold.count(1)));
        assertThat(gauge(RolloutStatus.RUNNING)).isEqualTo(1);
        runUntil(first, RolloutStatus.COMPLETED);

        Rollout second = provisioner.rollout(provision(List.of("c", "d"), FailureThreshold.NONE_TOLERATED));
        provisioner.rollouts().pause(second.id(), "ops");
        assertThat(gauge(RolloutStatus.PAUSED)).isEqualTo(1);
        provisioner.rollouts().abort(second.id(), "ops", false);
        runUntil(second, RolloutStatus.ABORTED);

        assertThat(gauge(RolloutStatus.COMPLETED)).isEqualTo(1);
        assertThat(gauge(RolloutStatus.ABORTED)).isEqualTo(1);
        assertThat(gauge(RolloutStatus.RUNNING)).isZero();
        assertThat(gauge(RolloutStatus.PAUSED)).isZero();
        assertThat(finished("succeeded")).isEqualTo(1);
        assertThat(finished("failed")).isEqualTo(1);
        assertThat(finished("skipped")).isEqualTo(2);
    }

    private static RolloutRequest provision(List<String> ids, FailureThreshold threshold) {
        return RolloutRequest.builder(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .tenants(TenantSelection.of(ids))
                .plan(RolloutPlan.builder().maxParallel(2).failureThreshold(threshold).build()).build();
    }

    private void runUntil(Rollout rollout, RolloutStatus status) {
        for (int i = 0; i < 100 && provisioner.rollouts().find(rollout.id()).orElseThrow().status() != status; i++) {
            scheduler.runPending();
            provisioner.sweepNow();
            scheduler.runPending();
            clock.advance(POLL);
        }
        assertThat(provisioner.rollouts().find(rollout.id()).orElseThrow().status()).isEqualTo(status);
    }

    private double gauge(RolloutStatus status) {
        return registry.get("provisioning.rollouts").tag("status", status.wireName()).gauge().value();
    }

    private double finished(String outcome) {
        return registry.get("provisioning.rollouts.tenants.finished").tag("status", outcome).counter().count();
    }
}
