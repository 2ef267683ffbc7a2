package com.dotmac.provisioning.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.reliability.support.Scale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two of three nodes die at the same moment: two engine nodes in JVMs of their own ({@link CrashNode}, the engine's
 * default lease and sweep interval) and this JVM's own engine share one embedded PostgreSQL schema and one fake AWX;
 * the two nodes request all the jobs (so they hold most of the work); once two thirds of each node's jobs are
 * stored, each arms its kill point and is frozen by its next launch with a run started in AWX and not yet recorded
 * ({@link KillPoint.Phase#LAUNCHED}: the hardest point, where a careless successor launches again); when both are
 * frozen and have stored all their jobs, both are SIGKILLed, one right after the other. The third node
 * takes over everything once the dead nodes' leases end: every job ends succeeded, none lost, none with a second
 * run, every tenant's status right. The figures give the time from the kill to the last job settled. The size is
 * {@code reliability.twoNodes.jobs} (default {@value #DEFAULT_JOBS}).
 */
@Tag("reliability")
@Tag("crash")
class TwoNodesKilledTest {
    private static final int DEFAULT_JOBS = 120;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> DOOMED = List.of("doomed-a", "doomed-b");

    private final Path dir = Path.of(System.getProperty("reliability.figures.dir", "target/reliability"));

    @Test
    void twoOfThreeNodesKilledAtOnceTheThirdTakesOverEverything() throws Exception {
        int jobs = Integer.getInteger("reliability.twoNodes.jobs", DEFAULT_JOBS);
        long seed = Scale.seed();
        Files.createDirectories(dir);
        Path log = dir.resolve("two-nodes-killed-nodes.log");
        Files.deleteIfExists(log);
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(3));
        long started = System.nanoTime();
        Figures figures = new Figures("two-nodes-killed").put("seed (replay with -Dreliability.seed=...)", seed)
                .put("lease (the engine's default)", EngineSettings.DEFAULT_LEASE_DURATION)
                .put("jobs", jobs);
        String outcome = "failed";
        List<ChildJvm> doomed = new ArrayList<>();
        TenantProvisioner survivor = null;
        AwxAutomationRunner survivorRunner = null;
        try (Schema db = Postgres.newSchema("twokilled").withTables();
             AwxFront front = new AwxFront(awx, new Random(seed)).latency(Duration.ofMillis(10))) {
            front.start();
            for (int i = 0; i < jobs; i++) {
                db.insertTenant("two-" + i, "new");
            }
            for (String nodeId : DOOMED) {
                Files.deleteIfExists(marker(nodeId));
                doomed.add(ChildJvm.start(CrashNode.class, nodeId, log, List.of(), db.url(), front.baseUrl(), nodeId,
                        marker(nodeId).toString(), CrashNode.DEFAULT_LEASE));
            }
            survivorRunner = new AwxAutomationRunner(front.configBuilder()
                    .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1))
                    .retryDelays(Duration.ofMillis(50), Duration.ofMillis(200)).build());
            survivor = TenantProvisioner.builder()
                    .repository(new JdbcJobRepository(db.newPool("survivor", 4), JdbcDialect.POSTGRESQL))
                    .tenantDirectory(JdbcTenantDirectory.builder(db.newPool("survivor-tenants", 2)).build())
                    .runner(survivorRunner)
                    .nodeId("survivor")
                    .pollInterval(CrashNode.INTERVAL)
                    .retryDelays(Duration.ofMillis(100), Duration.ofMillis(400))
                    .build();
            survivor.start();
            for (ChildJvm node : doomed) {
                node.awaitLine("BOOTED"::equals, START_TIMEOUT);
                node.send("START");
                node.awaitLine("READY"::equals, START_TIMEOUT);
            }
            // the trigger: each node stores two thirds of its jobs, then arms its kill point (to freeze the next
            // thread that has AWX start a run, before it records the run), then requests the rest: so each freezes
            // mid-run, right after one of those launches, whatever the machine's speed
            for (int n = 0; n < doomed.size(); n++) {
                List<String> items = new ArrayList<>();
                for (int i = n; i < jobs; i += doomed.size()) {
                    items.add("two-" + i + ":provision");
                }
                int firstPart = items.size() * 2 / 3;
                ChildJvm node = doomed.get(n);
                node.send("BATCH " + String.join(" ", items.subList(0, firstPart)));
                node.send("FREEZE " + KillPoint.Phase.LAUNCHED.wireName());
                node.send("BATCH " + String.join(" ", items.subList(firstPart, items.size())));
            }
            for (int n = 0; n < doomed.size(); n++) {
                String lastTenant = "two-" + lastIndex(jobs, n, doomed.size());
                boolean[] seen = new boolean[2];
                doomed.get(n).awaitLine(line -> {
                    seen[0] |= line.startsWith("FROZEN ");
                    seen[1] |= line.startsWith("CREATED " + lastTenant + " ");
                    return seen[0] && seen[1];
                }, START_TIMEOUT);
            }
            List<Integer> exits = ChildJvm.killHardTogether(doomed.toArray(ChildJvm[]::new));
            long killed = System.nanoTime();
            long unsettledAtKill = db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN "
                    + "('queued', 'in_progress') OR NOT tenant_status_applied");
            long heldByTheDead = db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE lease_owner IN "
                    + "('doomed-a', 'doomed-b') AND lease_until IS NOT NULL");
            figures.put("jobs stored", db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs"))
                    .put("AWX runs started at the kill", Launches.runsByJob(awx).size())
                    .put("jobs not settled at the kill", unsettledAtKill)
                    .put("jobs leased by the dead nodes at the kill", heldByTheDead);

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN "
                            + "('queued', 'in_progress') OR NOT tenant_status_applied") == 0);
            double settled = (System.nanoTime() - killed) / 1e9;
            figures.seconds("kill to the last job settled", settled);

            assertThat(exits).as("exit values: SIGKILL gives 128 + 9").containsOnly(SIGKILL_EXIT);
            for (String nodeId : DOOMED) {
                assertThat(marker(nodeId)).as("the shutdown hook of a SIGKILLed JVM never runs").doesNotExist();
            }
            assertThat(unsettledAtKill).as("jobs still to finish when the two nodes died").isPositive();
            assertThat(heldByTheDead).as("jobs the dead nodes held").isPositive();
            assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs")).as("jobs stored").isEqualTo(jobs);
            assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'succeeded'"))
                    .as("jobs succeeded").isEqualTo(jobs);
            assertThat(Launches.runsByJob(awx)).as("jobs that started a run").hasSize(jobs);
            assertThat(Launches.duplicates(awx)).as("jobs that started more than one run").isEmpty();
            assertThat(db.tenantStatuses().values()).as("tenant statuses").hasSize(jobs)
                    .containsOnly(TenantStatus.PROVISIONED);
            outcome = "passed";
        } finally {
            doomed.forEach(ChildJvm::close);
            if (survivor != null) {
                survivor.close();
            }
            if (survivorRunner != null) {
                survivorRunner.close();
            }
            figures.put("outcome", outcome)
                    .put("duplicate launches found", Launches.duplicates(awx).size())
                    .seconds("time taken", (System.nanoTime() - started) / 1e9)
                    .save();
        }
    }

    /** @return the last job index node {@code n} of {@code nodes} requests */
    private static int lastIndex(int jobs, int n, int nodes) {
        int last = n;
        while (last + nodes < jobs) {
            last += nodes;
        }
        return last;
    }

    private Path marker(String nodeId) {
        return dir.resolve("shutdown-hook-" + nodeId + ".txt");
    }
}
