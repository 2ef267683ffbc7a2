package com.dotmac.provisioning.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Scale;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Engines die by SIGKILL at random points of the job lifecycle and are restarted; nothing may be lost or launched
 * twice.
 *
 * <p>Each trial: the running {@link CrashNode} (a child JVM: JDBC repository and tenant directory on this JVM's
 * embedded PostgreSQL, AWX runner against this JVM's {@link FakeAwx}) is sent a batch of requests for fresh tenants
 * (provision, upgrade and decommission mixed) and killed with {@link Process#destroyForcibly()}: the first trials (and
 * every other one after them) at a {@link KillPoint} — the node freezes the first thread that reaches the chosen
 * point (job stored; launch pending; AWX started the run but the engine had not recorded it; a poll saw the run
 * not yet ended; the job ended but its tenant status was not set) and the kill follows — so that every phase is covered
 * whatever the machine's speed; the other trials after a random 0-700 ms. The node's replies are read: no request
 * may be refused, and every job it answered {@code CREATED} for must be stored. The state each job
 * was in at that moment is recorded (the kill's phase), and the latest end of a lease the dead node held must lie
 * within one lease of the kill (its heartbeat renews leases to one lease from now, and died with it). A new node
 * with another node id starts its engine, takes the dead node's work over once those leases ran out (3 s leases in
 * {@link #killedNodesLoseNoJobAndLaunchNothingTwice}; the engine's default 20 s lease and 2 s sweep in
 * {@link #withTheDefaultLeaseADeadNodesJobsAreTakenOverWithinThirtySeconds}), and must bring every job to its
 * expected end (the run's
 * outcome), the tenant to the status {@link TenantStatusRules} gives for it, and launch each job at most once:
 * FakeAwx's launches are grouped by {@code provisioning_job_id}. The fake answers half of the launches up to 500 ms
 * late after starting the run, so that kills land between "AWX started it" and "the engine recorded it".
 *
 * <p>To keep CI time down, the next node's JVM boots (without starting its engine) while the current trial runs, and
 * its engine is started right after the kill; the nodes map a class-data sharing archive made by a warm-up node.
 * Only one engine runs at any time.
 */
@Tag("reliability")
@Tag("crash")
class CrashRecoveryTest {
    private static final int KILL_WINDOW_MILLIS = 700;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    /** How much later than the node's last lease write this JVM may read the kill's time (same machine clock). */
    private static final Duration CLOCK_READING = Duration.ofSeconds(1);
    private static final List<String> ACTIVE_TENANT_STATUSES =
            List.of(TenantStatus.PROVISIONING, TenantStatus.UPGRADING, TenantStatus.DECOMMISSIONING);

    private final Path dir = Path.of(System.getProperty("reliability.figures.dir", "target/reliability"));
    private final Map<String, Integer> jobsByKillPhase = new TreeMap<>();
    private final List<Long> settleMillis = new ArrayList<>();
    private final List<Long> bootMillis = new ArrayList<>();
    private int nodes;
    private String mode = CrashNode.SHORT_LEASE;
    private int deadLeasesSeen;
    private long longestDeadLease;
    private int requested;
    private int createdReplies;
    private final Map<String, Integer> killsByTrigger = new TreeMap<>();

    @Test
    void killedNodesLoseNoJobAndLaunchNothingTwice() throws Exception {
        trials("crash", CrashNode.SHORT_LEASE, CrashNode.LEASE, Scale.crashTrials(), Scale.jobsPerCrashTrial());
    }

    /**
     * The same trials with the engine's default lease (20 s, renewed every 5 s) and sweep interval (2 s): the
     * dead node's leases end at most one lease after the kill (read from the database right after it, so a busy
     * machine cannot make this pass or fail), and the figures report kill to settled.
     */
    @Test
    void withTheDefaultLeaseADeadNodesJobsAreTakenOverWithinThirtySeconds() throws Exception {
        assertThat(EngineSettings.DEFAULT_LEASE_DURATION.plus(EngineSettings.DEFAULT_SWEEP_INTERVAL))
                .isLessThanOrEqualTo(Duration.ofSeconds(30));
        trials("crash-default-lease", CrashNode.DEFAULT_LEASE, EngineSettings.DEFAULT_LEASE_DURATION,
                Scale.defaultLeaseCrashTrials(), 6);
    }

    private void trials(String name, String mode, Duration lease, int trials, int perTrial) throws Exception {
        this.mode = mode;
        long seed = Scale.seed();
        Random random = new Random(seed);
        Files.createDirectories(dir);
        Path log = dir.resolve(name + "-nodes.log");
        Files.deleteIfExists(log);
        FakeAwx awx = new FakeAwx();
        long started = System.nanoTime();
        Figures figures = new Figures(name).put("seed (replay with -Dreliability.seed=...)", seed)
                .put("lease (renewed every quarter of it while a node works on a job)", lease);
        String outcome = "failed";
        try (Schema db = Postgres.newSchema("crash").withTables();
             AwxFront front = new AwxFront(awx, random).latency(Duration.ofMillis(20))
                     .slowLaunches(0.5, Duration.ofMillis(500))) {
            front.start();
            try {
                runTrials(db, awx, front, log, lease, trials, perTrial, random);
                verifyRun(db, awx, trials);
                outcome = "passed";
            } finally {
                figures.put("outcome", outcome)
                        .put("trials (SIGKILLs, each exit value 137)", trials)
                        .put("node JVMs started", nodes)
                        .put("jobs requested", requested)
                        .put("jobs the node answered CREATED for before its kill", createdReplies)
                        .put("jobs stored", db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs"))
                        .put("kills by trigger (a frozen thread, or a random delay)", killsByTrigger)
                        .put("jobs by state at the kill", jobsByKillPhase)
                        .put("AWX launches answered late (up to 500 ms)", front.slowLaunchCount())
                        .put("AWX runs started", awx.launches().stream().filter(l -> l.jobId() != null).count())
                        .put("AWX requests by kind", front.requestCounts())
                        .put("duplicate launches found", Launches.duplicates(awx).size())
                        .put("node JVM boot (in the background), median / max", median(bootMillis) + " / "
                                + max(bootMillis) + " ms")
                        .put("kill to all jobs settled on the new node, p50 / p99 / max", percentile(settleMillis, 50)
                                + " / " + percentile(settleMillis, 99) + " / " + max(settleMillis) + " ms")
                        .put("trials whose dead node held leases at the kill", deadLeasesSeen)
                        .put("latest end of a dead node's lease after its kill", longestDeadLease + " ms")
                        .seconds("time taken", (System.nanoTime() - started) / 1e9)
                        .save();
            }
        }
    }

    private void runTrials(Schema db, FakeAwx awx, AwxFront front, Path log, Duration lease, int trials, int perTrial,
            Random random) throws Exception {
        archiveNodeClasses(db, front, log);
        ChildJvm node = startEngine(boot(db, front, log));
        ChildJvm spare = boot(db, front, log);
        try {
            for (int trial = 0; trial < trials; trial++) {
                Map<String, Operation> batch = newTenants(db, trial, perTrial, random);
                requested += batch.size();
                KillPoint.@Nullable Phase phase = phaseOf(trial);
                boolean succeeds = random.nextDouble() < 0.7;
                // a run that polls see active (pending, waiting, running) a few times when the kill point is a run
                // not yet ended
                int runningPolls = random.nextInt(3) + (phase == KillPoint.Phase.RUNNING ? 3 : 0);
                awx.defaultScript(succeeds ? RunScript.succeedAfter(runningPolls)
                        : RunScript.failAfter(runningPolls, "Start tenant stack", "dc1-node-3",
                                "docker compose up failed"));
                List<String> replies = new ArrayList<>();
                if (phase != null) {
                    node.send("FREEZE " + phase.wireName());
                }
                node.send("BATCH " + batch.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().wireName())
                        .collect(Collectors.joining(" ")));
                if (phase != null) {
                    // the node froze a thread at the chosen point of the lifecycle: kill it there
                    node.awaitLine(line -> {
                        replies.add(line);
                        return line.startsWith("FROZEN ");
                    }, START_TIMEOUT);
                    killsByTrigger.merge("frozen while " + phase.wireName(), 1, Integer::sum);
                } else {
                    Thread.sleep(killDelay(random));
                    killsByTrigger.merge("random delay", 1, Integer::sum);
                }
                String killed = node.nodeId();
                assertThat(node.killHard()).as("exit value of %s: SIGKILL gives 128 + 9", killed)
                        .isEqualTo(SIGKILL_EXIT);
                long killedAt = System.nanoTime();
                Instant killInstant = Instant.now();
                replies.addAll(node.drainLines());
                checkReplies(db, replies);
                checkDeadLeases(db, killed, killInstant, lease);
                assertThat(marker(killed)).as("the shutdown hook of a SIGKILLed JVM never runs").doesNotExist();
                recordKillPhases(db, awx, batch.keySet());

                node = startEngine(spare);
                spare = boot(db, front, log);
                awaitSettled(db);
                settleMillis.add((System.nanoTime() - killedAt) / 1_000_000);
                verifyTrial(db, awx, batch, succeeds);
            }
        } finally {
            spare.close();
            int exit = node.exit(Duration.ofSeconds(30));
            assertThat(exit).as("a node asked to exit exits normally").isZero();
            assertThat(marker(node.nodeId())).as("its shutdown hook ran").exists();
        }
    }

    /**
     * The first trials kill at each {@link KillPoint.Phase} in turn, so every phase is covered whatever the machine's
     * speed; after them, every other trial kills after a random delay instead (anywhere, including between the
     * phases).
     */
    private static KillPoint.@Nullable Phase phaseOf(int trial) {
        KillPoint.Phase[] phases = KillPoint.Phase.values();
        if (trial < phases.length) {
            return phases[trial];
        }
        return trial % 2 == 0 ? phases[(trial / 2) % phases.length] : null;
    }

    /** The node's answers: no request refused, and every job it said it created is stored. */
    private void checkReplies(Schema db, List<String> replies) {
        assertThat(replies).as("requests the node refused").noneMatch(line -> line.startsWith("REFUSED "));
        for (String line : replies) {
            if (line.startsWith("CREATED ")) {
                createdReplies++;
                String jobId = line.split(" ")[2];
                assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE id = ?", jobId))
                        .as("job %s the node answered CREATED for is stored", jobId).isEqualTo(1);
            }
        }
    }

    /** The dead node's leases end within one lease of the kill (its heartbeat died with it). */
    private void checkDeadLeases(Schema db, String killed, Instant killInstant, Duration lease) {
        long lastLeaseMillis = db.scalar("SELECT CAST(EXTRACT(EPOCH FROM MAX(lease_until)) * 1000 AS BIGINT) FROM "
                + "tenant_provisioning_jobs WHERE lease_owner = ?", killed);
        if (lastLeaseMillis > 0) {
            Instant lastLease = Instant.ofEpochMilli(lastLeaseMillis);
            deadLeasesSeen++;
            assertThat(lastLease).as("the dead node's leases end within a lease of the kill")
                    .isBeforeOrEqualTo(killInstant.plus(lease).plus(CLOCK_READING));
            longestDeadLease = Math.max(longestDeadLease, Duration.between(killInstant, lastLease).toMillis());
        }
    }

    /** After all trials: nothing launched twice, nothing left active, something stored, every phase killed in. */
    private void verifyRun(Schema db, FakeAwx awx, int trials) {
        Map<String, List<Long>> duplicates = Launches.duplicates(awx);
        assertThat(duplicates).as(() -> "provisioning_job_ids launched more than once; " + duplicates.keySet()
                .stream().map(db::timeline).collect(Collectors.joining("\n"))).isEmpty();
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('queued', "
                + "'in_progress')")).as("jobs not in a terminal state").isZero();
        assertThat(db.scalar("SELECT COUNT(*) FROM tenants WHERE status IN (?, ?, ?)",
                ACTIVE_TENANT_STATUSES.toArray())).as("tenants left in an active status without an active job")
                .isZero();
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs")).as("jobs stored: at least the one "
                + "each triggered kill froze").isGreaterThanOrEqualTo(Math.min(trials, KillPoint.Phase.values().length));
        for (KillPoint.Phase phase : KillPoint.Phase.values()) {
            if (phase.ordinal() < trials) {
                assertThat(killsByTrigger).as("kills frozen while %s", phase.wireName())
                        .containsKey("frozen while " + phase.wireName());
            }
        }
    }

    /** A fifth of the kills 10-150 ms after the batch (while it is being stored), the rest anywhere in the window. */
    private static int killDelay(Random random) {
        return random.nextInt(5) == 0 ? 10 + random.nextInt(141) : random.nextInt(KILL_WINDOW_MILLIS + 1);
    }

    /** Starts a node's JVM; it boots in the background while the test goes on. */
    private ChildJvm boot(Schema db, AwxFront front, Path log) throws Exception {
        String nodeId = "crash-node-" + nodes++;
        Files.deleteIfExists(marker(nodeId));
        return ChildJvm.start(CrashNode.class, nodeId, log, classArchiveOptions(), db.url(), front.baseUrl(), nodeId,
                marker(nodeId).toString(), mode);
    }

    /** Waits for a node to have booted and starts its engine. */
    private ChildJvm startEngine(ChildJvm node) throws Exception {
        node.awaitLine("BOOTED"::equals, START_TIMEOUT);
        bootMillis.add(node.millisSinceStart());
        node.send("START");
        node.awaitLine("READY"::equals, START_TIMEOUT);
        return node;
    }

    /**
     * Runs one node until its engine is started and lets it exit, dumping the classes it loaded into a class-data
     * sharing archive that later nodes map: it roughly halves a node's start on a busy machine. Nodes start without
     * it when the archive cannot be made.
     */
    private void archiveNodeClasses(Schema db, AwxFront front, Path log) throws Exception {
        Path archive = dir.resolve("crash-node.jsa");
        Files.deleteIfExists(archive);
        try (ChildJvm warmUp = ChildJvm.start(CrashNode.class, "crash-node-warm-up", log,
                List.of("-XX:ArchiveClassesAtExit=" + archive), db.url(), front.baseUrl(), "crash-node-warm-up",
                marker("crash-node-warm-up").toString(), mode)) {
            warmUp.awaitLine("BOOTED"::equals, START_TIMEOUT);
            warmUp.send("START");
            warmUp.awaitLine("READY"::equals, START_TIMEOUT);
            warmUp.exit(START_TIMEOUT);
        }
    }

    private List<String> classArchiveOptions() {
        Path archive = dir.resolve("crash-node.jsa");
        return Files.exists(archive)
                ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
                : List.of();
    }

    private Path marker(String nodeId) {
        return dir.resolve("shutdown-hook-" + nodeId + ".txt");
    }

    /** Fresh tenants, each in a status that allows the operation chosen for it. */
    private static Map<String, Operation> newTenants(Schema db, int trial, int count, Random random) {
        Map<String, Operation> batch = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String tenant = "crash-" + trial + "-" + i;
            Operation operation = Operation.values()[random.nextInt(Operation.values().length)];
            db.insertTenant(tenant, switch (operation) {
                case PROVISION -> "new";
                case UPGRADE -> TenantStatus.PROVISIONED;
                case DECOMMISSION -> TenantStatus.ACTIVE;
            });
            batch.put(tenant, operation);
        }
        return batch;
    }

    /** Notes, per tenant of the batch, what its job was doing when the node died. */
    private void recordKillPhases(Schema db, FakeAwx awx, Set<String> tenants) {
        Set<String> launched = Launches.runsByJob(awx).keySet();
        for (String tenant : tenants) {
            List<Map<String, @Nullable Object>> rows = db.rows("SELECT id, status, tenant_status_applied, "
                    + "launch_pending_since FROM tenant_provisioning_jobs WHERE tenant_id = ?", tenant);
            jobsByKillPhase.merge(rows.isEmpty() ? "0 not stored yet (request in flight or not read)"
                    : phase(rows.get(0), launched), 1, Integer::sum);
        }
    }

    private static String phase(Map<String, @Nullable Object> row, Set<String> launched) {
        JobStatus status = JobStatus.fromWire(String.valueOf(row.get("status")));
        boolean applied = Boolean.TRUE.equals(row.get("tenant_status_applied"));
        return switch (status) {
            case QUEUED -> !applied ? "1 stored, tenant status not yet recorded (it may be set in the directory)"
                    : row.get("launch_pending_since") == null ? "2 queued, launch not begun"
                    : launched.contains(String.valueOf(row.get("id")))
                            ? "4 mid-launch: AWX started the run, the engine had not recorded it"
                            : "3 launch pending: AWX had not received the launch";
            case IN_PROGRESS -> "5 in progress: polling";
            default -> applied ? "7 finished and settled" : "6 finished, final tenant status not yet set";
        };
    }

    private static void awaitSettled(Schema db) {
        await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> db.scalar(
                "SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('queued', 'in_progress') "
                        + "OR NOT tenant_status_applied OR lease_owner IS NOT NULL OR next_check_at IS NOT NULL") == 0);
    }

    private static void verifyTrial(Schema db, FakeAwx awx, Map<String, Operation> batch, boolean succeeds) {
        Map<String, List<LaunchRecord>> launches = Launches.runsByJob(awx);
        for (Map.Entry<String, Operation> e : batch.entrySet()) {
            String tenant = e.getKey();
            List<Map<String, @Nullable Object>> rows = db.rows("SELECT id, status, error_code, awx_job_id FROM "
                    + "tenant_provisioning_jobs WHERE tenant_id = ?", tenant);
            if (rows.isEmpty()) {
                assertThat(db.tenantStatus(tenant)).as("tenant %s without a job keeps its status", tenant)
                        .isEqualTo(switch (e.getValue()) {
                            case PROVISION -> "new";
                            case UPGRADE -> TenantStatus.PROVISIONED;
                            case DECOMMISSION -> TenantStatus.ACTIVE;
                        });
                continue;
            }
            Map<String, @Nullable Object> job = rows.get(0);
            String jobId = String.valueOf(job.get("id"));
            JobStatus status = JobStatus.fromWire(String.valueOf(job.get("status")));
            assertThat(status).as("job %s of %s", jobId, tenant)
                    .isEqualTo(succeeds ? JobStatus.SUCCEEDED : JobStatus.FAILED);
            if (!succeeds) {
                assertThat(job.get("error_code")).as("job %s", jobId).isEqualTo(ErrorCodes.RUN_FAILED);
            }
            assertThat(launches.get(jobId)).as(() -> "AWX runs of job " + jobId + "; " + db.timeline(jobId)).hasSize(1);
            assertThat(job.get("awx_job_id")).as("job %s follows the run AWX started", jobId)
                    .isEqualTo(String.valueOf(launches.get(jobId).get(0).jobId()));
            assertThat(db.tenantStatus(tenant)).as("tenant %s after job %s", tenant, jobId)
                    .isEqualTo(TenantStatusRules.tenantStatusFor(e.getValue(), status));
        }
    }

    private static long median(List<Long> values) {
        return percentile(values, 50);
    }

    /** The nearest-rank percentile. */
    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CrashRecoveryTest[nodes=%d]", nodes);
    }
}
