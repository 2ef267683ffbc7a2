package com.dotmac.provisioning.reliability.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.EngineNodes;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fleet upgrade on three nodes: {@value #TENANTS} tenants (seeded straight into the schema, each {@code
 * provisioned} by an earlier job) upgraded by one rollout with {@code maxParallel} {@value #MAX_PARALLEL}, a canary of
 * {@value #MAX_PARALLEL} and three waves by percentage. The rollout is started on one engine and progressed by
 * whichever of three engines (own node ids, pools, repositories, AWX runners, real schedulers, a short sweep interval)
 * claims it at its next look; they share one embedded PostgreSQL schema and one fake AWX whose runs succeed after one
 * poll.
 *
 * <p>Afterwards: the fake never had more than {@value #MAX_PARALLEL} runs active at once (across the three engines:
 * the rollout's lease lets one node at a time count its members in flight and start more); every tenant is
 * {@code provisioned} with its latest job a succeeded upgrade to the release; each tenant started exactly one AWX
 * run; the rollout is {@code completed} with all its members succeeded; and each engine started members (the
 * figures say how many each).
 */
@Tag("reliability")
@Tag("rollout")
class RolloutFleetTest {
    private static final int ENGINES = 3;
    private static final int TENANTS = 1000;
    private static final int MAX_PARALLEL = 10;
    private static final String RELEASE = "2.0.0";
    private static final String PREFIX = "fleet";

    @Test
    void threeEnginesUpgradeAThousandTenantsNeverMoreThanMaxParallelRunsInAwx() throws Exception {
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(1));
        Map<String, AtomicInteger> membersStartedByNode = new TreeMap<>();
        Map<String, AtomicInteger> runsLaunchedByNode = new TreeMap<>();
        AtomicReference<@Nullable Rollout> last = new AtomicReference<>();
        List<TenantProvisioner> engines = new ArrayList<>();
        List<AwxAutomationRunner> runners = new ArrayList<>();
        long started = System.nanoTime();
        double seedSeconds = 0;
        double startSeconds = 0;
        double rolloutSeconds = 0;
        try (Schema db = Postgres.newSchema("rolloutfleet").withTables();
             AwxFront front = new AwxFront(awx, new Random(16)).latency(Duration.ofMillis(5))) {
            front.start();
            long seeding = System.nanoTime();
            Fleet.seedUpgradable(db, PREFIX, TENANTS, Instant.now().minus(Duration.ofHours(1)));
            seedSeconds = (System.nanoTime() - seeding) / 1e9;
            try {
                for (int n = 0; n < ENGINES; n++) {
                    String nodeId = "fleet-node-" + n;
                    AtomicInteger membersStarted = new AtomicInteger();
                    AtomicInteger runsLaunched = new AtomicInteger();
                    membersStartedByNode.put(nodeId, membersStarted);
                    runsLaunchedByNode.put(nodeId, runsLaunched);
                    AwxAutomationRunner runner = EngineNodes.runner(front, Duration.ofSeconds(5));
                    runners.add(runner);
                    TenantProvisioner engine = EngineNodes.node(db, nodeId, runner)
                            .rolloutRepository(new JdbcRolloutRepository(db.newPool(nodeId + "-rollouts", 2),
                                    JdbcDialect.POSTGRESQL))
                            .pollInterval(Duration.ofMillis(50))
                            .sweepInterval(Duration.ofMillis(20))
                            .leaseDuration(Duration.ofSeconds(30))
                            .retryDelays(Duration.ofMillis(200), Duration.ofSeconds(1))
                            .listener((job, event) -> {
                                if (job.operation() != Operation.UPGRADE) {
                                    return;
                                }
                                if (event.type() == JobEventType.CREATED) {
                                    membersStarted.incrementAndGet(); // written by the node whose look started it
                                } else if (event.type() == JobEventType.STATUS_CHANGED
                                        && event.to() == JobStatus.IN_PROGRESS) {
                                    runsLaunched.incrementAndGet();
                                }
                            })
                            .build();
                    engines.add(engine);
                    engine.start();
                }

                long starting = System.nanoTime();
                Rollout rollout = engines.get(0).rollout(RolloutRequest.builder(Operation.UPGRADE)
                        .releaseVersion(RELEASE).tenants(TenantSelection.inStatus(TenantStatus.PROVISIONED))
                        .plan(RolloutPlan.builder().canary(MAX_PARALLEL).wavePercents(10, 30, 60)
                                .maxParallel(MAX_PARALLEL).build())
                        .requestedBy("fleet-test").build());
                startSeconds = (System.nanoTime() - starting) / 1e9;
                last.set(rollout);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Rollout now = engines.get(1).rollouts().find(rollout.id()).orElseThrow();
                    last.set(now);
                    return now.status().isTerminal();
                });
                rolloutSeconds = (System.nanoTime() - starting) / 1e9;

                Rollout done = last.get();
                assertThat(done).isNotNull();
                assertThat(done.status()).as("the rollout's end: %s", done.statusReason())
                        .isEqualTo(RolloutStatus.COMPLETED);
                assertThat(done.waveSizes()).containsExactly(MAX_PARALLEL, 99, 297, 594);
                assertThat(done.members()).containsEntry(RolloutMemberStatus.SUCCEEDED, (long) TENANTS)
                        .containsEntry(RolloutMemberStatus.FAILED, 0L).containsEntry(RolloutMemberStatus.SKIPPED, 0L);
                assertThat(engines.get(2).rollouts().events(rollout.id())).filteredOn(e -> e.type()
                        == RolloutEventType.WAVE_STARTED).hasSize(3);
                assertThat(awx.mostActiveRuns()).as("the most AWX runs active at once (maxParallel %d, %d engines)",
                        MAX_PARALLEL, ENGINES).isBetween(1, MAX_PARALLEL);
                assertThat(Launches.duplicates(awx)).as("jobs that started more than one run").isEmpty();
                Map<String, Long> runsByTenant = Fleet.runsByTenant(awx);
                assertThat(runsByTenant).as("tenants that started a run").hasSize(TENANTS);
                assertThat(runsByTenant.entrySet()).as("tenants that started more than one run")
                        .filteredOn(e -> e.getValue() != 1).isEmpty();
                assertThat(Fleet.upgraded(db, PREFIX, RELEASE)).as("tenants provisioned, their latest job a "
                        + "succeeded upgrade to %s", RELEASE).isEqualTo(TENANTS);
                assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE operation = 'upgrade'"))
                        .as("upgrade jobs").isEqualTo(TENANTS);
                assertThat(membersStartedByNode.values()).as("members started by each engine %s",
                        membersStartedByNode).allSatisfy(n -> assertThat(n.get()).isPositive());
            } finally {
                engines.forEach(TenantProvisioner::close);
                runners.forEach(AwxAutomationRunner::close);
                Rollout end = last.get();
                new Figures("rollout-fleet")
                        .put("engines", ENGINES)
                        .put("tenants", TENANTS)
                        .put("maxParallel", MAX_PARALLEL)
                        .put("waves", end == null ? "-" : end.waveSizes())
                        .put("rollout", end == null ? "-" : end.status().wireName() + " " + end.members())
                        .put("most AWX runs active at once", awx.mostActiveRuns())
                        .put("AWX runs started", Launches.runsByJob(awx).size())
                        .put("duplicate launches", Launches.duplicates(awx).size())
                        .put("members started by node", membersStartedByNode)
                        .put("runs launched by node", runsLaunchedByNode)
                        .put("AWX requests by kind", front.requestCounts())
                        .seconds("seeding (2 statements)", seedSeconds)
                        .seconds("rollout start (1,000 members stored)", startSeconds)
                        .seconds("rollout start to completed", rolloutSeconds)
                        .put("tenants per second", rolloutSeconds == 0 ? "-"
                                : String.format(java.util.Locale.ROOT, "%.0f", TENANTS / rolloutSeconds))
                        .seconds("time taken", (System.nanoTime() - started) / 1e9)
                        .save();
            }
        }
    }
}
