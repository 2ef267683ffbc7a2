package com.dotmac.provisioning.reliability.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.reliability.support.SteppedEngine;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bad release stops a rollout on real PostgreSQL: {@value #TENANTS} tenants, a canary of {@value #CANARY} in which
 * the release fails on 3 (the fake AWX's runs of those tenants fail in a task on a host), a threshold of 10 % of the
 * finished jobs. One engine stepped deterministically (movable clock shared with the fake AWX, manual scheduler,
 * {@link SteppedEngine}): the rollout pauses once the canary's jobs have ended (3 of 20 failed, 15 %), before any
 * job of the next wave is created, and no AWX launch follows however long it stays paused; it names the failed
 * tenants in its reason, and each failed member carries its job's error code and the failure's task, host and
 * message. Then the release is fixed (the fake's runs succeed) and the rollout resumed with {@code RETRY}: the 17
 * canary tenants that succeeded are not launched again, the 3 failed ones get one new run each and succeed, and the
 * rest of the fleet is upgraded once.
 */
@Tag("reliability")
@Tag("rollout")
class RolloutThresholdTest {
    private static final int TENANTS = 100;
    private static final int CANARY = 20;
    private static final String PREFIX = "thr";
    private static final String RELEASE = "2.1.0";
    private static final List<String> FAILING = List.of("thr-00003", "thr-00007", "thr-00011");
    private static final int MAX_STEPS = 200;

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAwx awx = new FakeAwx().clock(clock);

    @Test
    void aReleaseFailingOnThreeOfTheCanaryPausesBeforeAnotherLaunchAndResumeRetriesOnlyTheFailed() throws Exception {
        awx.defaultScript(RunScript.succeedAfter(1));
        Figures figures = new Figures("rollout-threshold");
        long started = System.nanoTime();
        try (Schema db = Postgres.newSchema("rolloutthreshold").withTables();
             AwxFront front = new AwxFront(awx, new Random(16))) {
            front.start();
            List<String> tenants = Fleet.seedUpgradable(db, PREFIX, TENANTS,
                    clock.instant().minus(Duration.ofHours(1)));
            FAILING.forEach(t -> front.scriptForTenant(t, RunScript.failAfter(1, "Migrate database", "db-" + t,
                    "migration 42 failed on " + t)));
            try (SteppedEngine engine = new SteppedEngine(db, front.configBuilder().build(), null, clock,
                    b -> b.rolloutRepository(new JdbcRolloutRepository(db.dataSource(), JdbcDialect.POSTGRESQL)))) {
                Rollouts rollouts = engine.provisioner().rollouts();
                Rollout rollout = engine.provisioner().rollout(RolloutRequest.builder(Operation.UPGRADE)
                        .releaseVersion(RELEASE).tenants(TenantSelection.of(tenants))
                        .plan(RolloutPlan.builder().canary(CANARY).wavePercents(50, 50).maxParallel(CANARY)
                                .failureThreshold(FailureThreshold.percent(10)).build())
                        .requestedBy("threshold-test").build());

                int stepsToPause = stepUntil(engine, rollouts, rollout.id(), RolloutStatus.PAUSED);
                Rollout paused = rollouts.find(rollout.id()).orElseThrow();
                int launchesAtPause = awx.launches().size();
                int activeAtPause = awx.activeRuns();
                long jobsAtPause = db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE operation = "
                        + "'upgrade'");
                engine.steps(12); // a minute of engine time, six polls' worth
                figures.put("tenants", TENANTS).put("canary", CANARY).put("threshold", "10 %")
                        .put("steps of 5 s to the pause", stepsToPause)
                        .put("AWX launches at the pause", launchesAtPause)
                        .put("AWX runs active at the pause", activeAtPause)
                        .put("AWX launches after 12 more steps", awx.launches().size())
                        .put("reason", paused.statusReason());

                assertThat(launchesAtPause).as("AWX launches at the pause: the canary's").isEqualTo(CANARY);
                assertThat(Fleet.runsByTenant(awx).keySet()).containsExactlyElementsOf(tenants.subList(0, CANARY));
                assertThat(awx.launches()).as("AWX launches a minute after the pause").hasSize(launchesAtPause);
                assertThat(awx.activeRuns()).as("AWX runs active").isZero();
                assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE operation = 'upgrade'"))
                        .as("upgrade jobs created after the pause").isEqualTo(jobsAtPause);
                assertThat(rollouts.find(rollout.id()).orElseThrow().status()).isEqualTo(RolloutStatus.PAUSED);
                assertThat(paused.currentWave()).as("the wave it paused in: the canary").isZero();
                assertThat(paused.members()).containsEntry(RolloutMemberStatus.SUCCEEDED, 17L)
                        .containsEntry(RolloutMemberStatus.FAILED, 3L)
                        .containsEntry(RolloutMemberStatus.WAITING, (long) TENANTS - CANARY);
                assertThat(paused.statusReason()).startsWith("more than 10 % of finished jobs failed: 3 of 20 "
                        + "finished jobs failed (").contains(FAILING.stream().map(t -> t + ": RUN_FAILED").toList());
                List<RolloutMember> failed = rollouts.members(rollout.id(), RolloutMemberStatus.FAILED, 1, 10);
                assertThat(failed).extracting(RolloutMember::tenantId, RolloutMember::errorCode).containsExactly(
                        tuple(FAILING.get(0), "RUN_FAILED"), tuple(FAILING.get(1), "RUN_FAILED"),
                        tuple(FAILING.get(2), "RUN_FAILED"));
                assertThat(failed).allSatisfy(m -> assertThat(m.errorMessage()).as("failure of %s", m.tenantId())
                        .contains("Migrate database", "db-" + m.tenantId(), "migration 42 failed on " + m.tenantId()));
                assertThat(rollouts.events(rollout.id())).filteredOn(e -> e.type() == RolloutEventType.STATUS_CHANGED)
                        .extracting(RolloutEvent::to).containsExactly(RolloutStatus.PAUSED);
                figures.put("failed members", failed.stream().map(m -> m.tenantId() + " " + m.errorCode() + ": "
                        + m.errorMessage()).toList());

                // the release is fixed: every run succeeds from now on
                front.clearTenantScripts();
                Rollout resumed = rollouts.resume(rollout.id(), "threshold-test", Rollouts.FailedMembers.RETRY);
                assertThat(resumed.status()).isEqualTo(RolloutStatus.RUNNING);
                int stepsToEnd = stepUntil(engine, rollouts, rollout.id(), RolloutStatus.COMPLETED);

                Rollout done = rollouts.find(rollout.id()).orElseThrow();
                Map<String, Long> runsByTenant = Fleet.runsByTenant(awx);
                figures.put("steps of 5 s from the resume to completed", stepsToEnd)
                        .put("rollout", done.status().wireName() + " " + done.members())
                        .put("AWX runs started", awx.launches().size())
                        .put("tenants with two runs", runsByTenant.entrySet().stream().filter(e -> e.getValue() > 1)
                                .map(Map.Entry::getKey).toList());
                assertThat(done.members()).containsEntry(RolloutMemberStatus.SUCCEEDED, (long) TENANTS);
                assertThat(runsByTenant).as("tenants that started a run").hasSize(TENANTS);
                assertThat(runsByTenant).allSatisfy((tenant, runs) -> assertThat(runs).as("AWX runs of %s", tenant)
                        .isEqualTo(FAILING.contains(tenant) ? 2L : 1L));
                assertThat(Launches.duplicates(awx)).as("jobs that started more than one run").isEmpty();
                assertThat(Fleet.upgraded(db, PREFIX, RELEASE)).as("tenants upgraded to %s", RELEASE)
                        .isEqualTo(TENANTS);
            }
        } finally {
            figures.seconds("time taken", (System.nanoTime() - started) / 1e9).save();
        }
    }

    /** Steps the engine until the rollout is in {@code status}; @return the steps taken. */
    private static int stepUntil(SteppedEngine engine, Rollouts rollouts, String rolloutId, RolloutStatus status) {
        for (int step = 0; step <= MAX_STEPS; step++) {
            Rollout r = rollouts.find(rolloutId).orElseThrow();
            if (r.status() == status) {
                return step;
            }
            if (r.status().isTerminal()) {
                break;
            }
            engine.steps(1);
        }
        throw new AssertionError("rollout " + rolloutId + " never became " + status + ": "
                + rollouts.find(rolloutId).orElseThrow() + "\n" + rollouts.events(rolloutId));
    }
}
