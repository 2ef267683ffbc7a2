package com.dotmac.provisioning.reliability.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantStatus;
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
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A new customer's provisioning does not wait behind a fleet upgrade, on real PostgreSQL: a {@value #TENANTS}-tenant
 * upgrade rollout on an engine whose cap on runs in flight is {@value #CAP}, with {@code maxParallel} as large as the
 * whole cap; the fake AWX holds every run running, so the rollout fills all it may: {@value #ROLLOUT_SHARE} runs, the
 * cap less the share kept for single requests. Then one tenant's provision is requested: after exactly one engine
 * step (one sweep, and what it queued) AWX has its launch, and the rollout has still not started more. (Were the
 * share not kept, the rollout would hold all {@value #CAP} runs and the provision would wait for one of them to
 * end.) Then the rollout is aborted with its running jobs cancelled,
 * and it ends {@code aborted}, its other members skipped. One engine stepped deterministically ({@link
 * SteppedEngine}: movable clock shared with the fake AWX, manual scheduler).
 *
 * <p><b>How single requests keep priority.</b> A rollout's members are ordinary jobs, and the job engine launches
 * every job only while the runs in flight (counted in the database, across all nodes, in the same transaction that
 * records the launch) are below the cap ({@code maxConcurrentRuns} of the engine or of the runner, the smaller). The
 * rollout engine asks before it starts members how much room there is for rollout runs
 * ({@code ProvisionerRollouts.roomForRolloutRuns}, behind {@code MemberJobs}): the cap, less a share reserved for
 * single requests (10 % of the cap, at least one run), less the runs in flight. So rollouts together never fill more
 * than 90 % of the cap, and a single request finds a free run at once: it is processed as soon as it is stored (the
 * request queues its launch; with a real scheduler it starts right away), at the latest at the next sweep. When more
 * single requests come than the reserve holds, they wait only for runs to end, and win those too: the rollout starts
 * a member only while the runs in flight are below the cap less the reserve, the job engine launches a queued single
 * job while they are below the cap. Without a cap nothing holds a single request back; the rollout's own
 * {@code maxParallel} limits only its members.
 */
@Tag("reliability")
@Tag("rollout")
class RolloutPriorityTest {
    private static final int TENANTS = 2000;
    private static final int CAP = 50;
    /** As many as the whole cap. */
    private static final int MAX_PARALLEL = CAP;
    /** The cap less the 10 % reserved for single requests: the most the rollout may fill. */
    private static final int ROLLOUT_SHARE = 45;
    private static final String PREFIX = "prio";
    private static final int MAX_STEPS = 100;

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAwx awx = new FakeAwx().clock(clock);

    @Test
    void aSingleProvisionIsLaunchedWithinOneSweepWhileATwoThousandTenantRolloutFillsItsShare() throws Exception {
        awx.defaultScript(RunScript.hang());
        Figures figures = new Figures("rollout-priority");
        long started = System.nanoTime();
        try (Schema db = Postgres.newSchema("rolloutpriority").withTables();
             AwxFront front = new AwxFront(awx, new Random(16))) {
            front.start();
            Fleet.seedUpgradable(db, PREFIX, TENANTS, clock.instant().minus(Duration.ofHours(1)));
            try (SteppedEngine engine = new SteppedEngine(db, front.configBuilder().build(), null, clock,
                    b -> b.maxConcurrentRuns(CAP).rolloutRepository(new JdbcRolloutRepository(db.dataSource(),
                            JdbcDialect.POSTGRESQL)))) {
                Rollouts rollouts = engine.provisioner().rollouts();
                long starting = System.nanoTime();
                Rollout rollout = engine.provisioner().rollout(RolloutRequest.builder(Operation.UPGRADE)
                        .releaseVersion("3.0.0").tenants(TenantSelection.inStatus(TenantStatus.PROVISIONED))
                        .plan(RolloutPlan.builder().maxParallel(MAX_PARALLEL).build())
                        .requestedBy("priority-test").build());
                figures.put("tenants", TENANTS).put("cap on runs in flight", CAP).put("maxParallel", MAX_PARALLEL)
                        .put("rollout share of the cap", ROLLOUT_SHARE)
                        .seconds("rollout start (2,000 members stored)", (System.nanoTime() - starting) / 1e9);
                engine.steps(3);
                assertThat(rollouts.find(rollout.id()).orElseThrow().members())
                        .containsEntry(RolloutMemberStatus.STARTED, (long) ROLLOUT_SHARE);
                assertThat(awx.activeRuns()).as("AWX runs active: the rollout's").isEqualTo(ROLLOUT_SHARE);

                db.insertTenant("newcomer", "new");
                ProvisioningJob single = engine.provisioner().request(ProvisioningRequest.builder("newcomer")
                        .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                        .requestedBy("priority-test").build());
                assertThat(Launches.runsByJob(awx)).as("launched before any step").doesNotContainKey(single.id());
                engine.steps(1);

                assertThat(Launches.runsByJob(awx)).as("launched within one step").containsKey(single.id());
                assertThat(engine.provisioner().job(single.id()).orElseThrow().status())
                        .isEqualTo(JobStatus.IN_PROGRESS);
                assertThat(awx.activeRuns()).as("AWX runs active").isEqualTo(ROLLOUT_SHARE + 1);
                engine.steps(3);
                assertThat(rollouts.find(rollout.id()).orElseThrow().members()).as("the rollout starts no more")
                        .containsEntry(RolloutMemberStatus.STARTED, (long) ROLLOUT_SHARE)
                        .containsEntry(RolloutMemberStatus.WAITING, (long) TENANTS - ROLLOUT_SHARE);
                assertThat(awx.launches()).as("AWX launches").hasSize(ROLLOUT_SHARE + 1);
                figures.put("AWX runs active with the single request's", awx.activeRuns());

                // end quickly: abort, cancelling the rollout's running jobs
                rollouts.abort(rollout.id(), "priority-test", true);
                int steps = 0;
                Rollout now = rollouts.find(rollout.id()).orElseThrow();
                while (now.status() != RolloutStatus.ABORTED && steps++ < MAX_STEPS) {
                    engine.steps(1);
                    now = rollouts.find(rollout.id()).orElseThrow();
                }
                figures.put("steps of 5 s from the abort to aborted", steps)
                        .put("rollout", now.status().wireName() + " " + now.members());
                assertThat(now.status()).as("the rollout after %d steps: %s", steps, now.statusReason())
                        .isEqualTo(RolloutStatus.ABORTED);
                assertThat(now.members()).containsEntry(RolloutMemberStatus.SKIPPED, (long) TENANTS - ROLLOUT_SHARE)
                        .containsEntry(RolloutMemberStatus.FAILED, (long) ROLLOUT_SHARE);
                assertThat(awx.activeRuns()).as("AWX runs active: the single request's").isEqualTo(1);
                assertThat(engine.provisioner().job(single.id()).orElseThrow().status())
                        .isEqualTo(JobStatus.IN_PROGRESS);
            }
        } finally {
            figures.seconds("time taken", (System.nanoTime() - started) / 1e9).save();
        }
    }
}
