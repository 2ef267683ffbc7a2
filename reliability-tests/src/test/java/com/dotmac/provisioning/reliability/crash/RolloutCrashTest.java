package com.dotmac.provisioning.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Scale;
import com.dotmac.provisioning.reliability.support.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rollout survives the SIGKILL of the node that works on it, in each phase of its life: no tenant is launched
 * twice, no second rollout is stored, and the rollout goes on from another node to its end.
 *
 * <p>Each trial stores {@value #TENANTS} fresh tenants and starts a provision rollout of them on the running
 * {@link CrashNode} (canary of {@value #CANARY}, then waves of 15 and 20, {@value #MAX_PARALLEL} jobs at most in
 * flight, the node's 3 s leases), with a {@link KillPoint} armed at the trial's phase: the node freezes the thread that
 * reaches it and this test sends SIGKILL. The phases: a batch of member rows sent inside the storing transaction; the
 * rollout stored but the caller not answered; a member's job stored but the member not marked started; the write of
 * a wave switch (before it, and after it); the write of a threshold pause. The next node (booted in the background
 * meanwhile, another node id) starts its engine; where the caller never had an answer, the request is made again on
 * it with the same idempotency key: it stores the rollout when nothing was stored, and returns the stored one
 * otherwise. The rollout must end as expected ({@code completed}; {@code paused} with its reason after the failures, then
 * {@code completed} after a resume), with: every member succeeded; AWX runs grouped by {@code provisioning_job_id} at
 * most one per job, and by tenant exactly one per attempt of its member; one job per tenant and attempt; one rollout
 * per trial; one {@code wave_started} event per wave.
 */
@Tag("reliability")
@Tag("crash")
class RolloutCrashTest {
    static final int TENANTS = 40;
    static final int CANARY = 5;
    static final String WAVES = "15,20";
    static final int MAX_PARALLEL = 5;
    /** Failed jobs the pause trial's rollout tolerates; the third pauses it. */
    static final int TOLERATED = 2;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration END_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One trial.
     *
     * @param name its name in figures and messages
     * @param point where the node is frozen
     * @param nth the how-manieth thread reaching it freezes
     * @param key the rollout request's idempotency key, or {@code -} for none
     * @param failing positions of the tenants whose runs fail (until the resume)
     */
    record Trial(String name, KillPoint.Point point, int nth, String key, Set<Integer> failing) {
        boolean unanswered() {
            return point == KillPoint.RolloutPhase.ENQUEUING || point == KillPoint.RolloutPhase.ENQUEUED;
        }
    }

    private static final List<Trial> TRIALS = List.of(
            new Trial("enqueue, members batch sent, not committed", KillPoint.RolloutPhase.ENQUEUING, 1,
                    "crash-enqueuing", Set.of()),
            new Trial("enqueue, stored, caller not answered", KillPoint.RolloutPhase.ENQUEUED, 1, "crash-enqueued",
                    Set.of()),
            new Trial("member start, job stored, member not marked started", KillPoint.Phase.STORING, CANARY + 2,
                    "-", Set.of()),
            new Trial("wave switch 0 to 1, before its write", KillPoint.RolloutPhase.WAVE_SWITCH, 1, "-", Set.of()),
            new Trial("wave switch 1 to 2, after its write", KillPoint.RolloutPhase.WAVE_SWITCHED, 2, "-", Set.of()),
            new Trial("threshold pause, before its write", KillPoint.RolloutPhase.PAUSING, 1, "-",
                    Set.of(CANARY + 1, CANARY + 3, CANARY + 5, CANARY + 7)));

    private final Path dir = Path.of(System.getProperty("reliability.figures.dir", "target/reliability"));
    private final Map<String, String> atKill = new LinkedHashMap<>();
    private final Map<String, Long> killToEnd = new LinkedHashMap<>();
    private final List<Long> bootMillis = new ArrayList<>();
    private int nodes;

    @Test
    void aRolloutSurvivesTheKillOfItsNodeInEveryPhase() throws Exception {
        long seed = Scale.seed();
        Files.createDirectories(dir);
        Path log = dir.resolve("rollout-crash-nodes.log");
        Files.deleteIfExists(log);
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(1));
        long started = System.nanoTime();
        Figures figures = new Figures("rollout-crash").put("seed (replay with -Dreliability.seed=...)", seed)
                .put("rollout per trial", TENANTS + " tenants, canary " + CANARY + " then waves " + WAVES
                        + ", maxParallel " + MAX_PARALLEL + ", lease " + CrashNode.LEASE);
        String outcome = "failed";
        try (Schema db = Postgres.newSchema("rolloutcrash").withTables();
             AwxFront front = new AwxFront(awx, new Random(seed)).latency(Duration.ofMillis(10))
                     .slowLaunches(0.3, Duration.ofMillis(200))) {
            front.start();
            try {
                ChildJvm spare = boot(db, front, log);
                ChildJvm node = startEngine(boot(db, front, log));
                try {
                    for (int t = 0; t < TRIALS.size(); t++) {
                        ChildJvm[] next = trial(db, awx, front, log, t, node, spare);
                        node = next[0];
                        spare = next[1];
                    }
                } finally {
                    spare.close();
                    assertThat(node.exit(Duration.ofSeconds(30))).as("a node asked to exit exits normally").isZero();
                }
                assertThat(Launches.duplicates(awx)).as("provisioning jobs launched more than once").isEmpty();
                outcome = "passed";
            } finally {
                figures.put("outcome", outcome)
                        .put("trials (one SIGKILL each, exit value 137)", TRIALS.size())
                        .put("node JVMs started", nodes)
                        .put("state at each kill", atKill)
                        .put("kill to the rollout's end on the next node (ms)", killToEnd)
                        .put("AWX runs started", Launches.runsByJob(awx).size())
                        .put("AWX requests by kind", front.requestCounts())
                        .put("duplicate launches found", Launches.duplicates(awx).size())
                        .put("node JVM boot (in the background), max", bootMillis.stream().mapToLong(Long::longValue)
                                .max().orElse(0) + " ms")
                        .seconds("time taken", (System.nanoTime() - started) / 1e9)
                        .save();
            }
        }
    }

    /** @return the node now running and the next spare */
    private ChildJvm[] trial(Schema db, FakeAwx awx, AwxFront front, Path log, int t, ChildJvm node, ChildJvm spare)
            throws Exception {
        Trial trial = TRIALS.get(t);
        List<String> tenants = IntStream.range(0, TENANTS).mapToObj(i -> "roll-" + t + "-" + i).toList();
        tenants.forEach(id -> db.insertTenant(id, "new"));
        trial.failing().forEach(i -> front.scriptForTenant(tenants.get(i), RunScript.failAfter(1, "Start tenant stack",
                "dc1-node-3", "docker compose up failed")));
        long rolloutsBefore = db.scalar("SELECT COUNT(*) FROM tenant_provisioning_rollouts");
        String request = "ROLLOUT " + trial.key() + " " + CANARY + " " + WAVES + " " + MAX_PARALLEL + " "
                + (trial.failing().isEmpty() ? 0 : TOLERATED) + " " + String.join(",", tenants);
        node.send("FREEZE " + trial.point().wireName() + " " + trial.nth());
        node.send(request);
        List<String> replies = new ArrayList<>();
        node.awaitLine(line -> replies.add(line) && line.startsWith("FROZEN "), START_TIMEOUT);
        assertThat(node.killHard()).as("exit value of %s: SIGKILL gives 128 + 9", node.nodeId())
                .isEqualTo(SIGKILL_EXIT);
        long killedAt = System.nanoTime();
        replies.addAll(node.drainLines());
        assertThat(marker(node.nodeId())).as("the shutdown hook of a SIGKILLed JVM never runs").doesNotExist();
        assertThat(replies).as("replies of the killed node").noneMatch(l -> l.startsWith("ROLLOUT_REFUSED"));
        String stored = rolloutOf(db, tenants.get(0));
        atKill.put(trial.name(), stateAtKill(db, awx, stored));
        if (trial.point() == KillPoint.RolloutPhase.ENQUEUING) {
            assertThat(stored).as("a rollout whose storing transaction died").isNull();
            assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_rollouts")).as("rollouts stored")
                    .isEqualTo(rolloutsBefore);
            assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_rollout_members WHERE tenant_id LIKE ?",
                    "roll-" + t + "-%")).as("member rows of the trial's tenants").isZero();
        } else {
            assertThat(stored).as("the rollout is stored").isNotNull();
        }
        if (trial.unanswered()) {
            assertThat(replies).as("the caller had no answer").noneMatch(l -> l.startsWith("ROLLOUT "));
        }

        ChildJvm next = startEngine(spare);
        ChildJvm nextSpare = boot(db, front, log);
        String rolloutId = stored;
        if (trial.unanswered()) {
            next.send(request);
            String answer = next.awaitLine(l -> l.startsWith("ROLLOUT"), START_TIMEOUT);
            assertThat(answer).as("the request made again on the next node").startsWith("ROLLOUT ");
            rolloutId = answer.split(" ")[1];
            if (stored != null) {
                assertThat(rolloutId).as("the same idempotency key gives the rollout stored before the kill")
                        .isEqualTo(stored);
                assertThat(answer).as("the answer to the repeated request").endsWith(" repeat");
            } else {
                assertThat(answer).as("the answer to a request whose first attempt stored nothing")
                        .endsWith(" created");
            }
        }
        String id = java.util.Objects.requireNonNull(rolloutId);
        if (!trial.failing().isEmpty()) {
            awaitEnd(db, id, "paused");
            checkPause(db, id);
            front.clearTenantScripts();
            next.send("RESUME " + id + " retry");
            assertThat(next.awaitLine(l -> l.startsWith("RESUME"), START_TIMEOUT)).startsWith("RESUMED " + id);
        }
        awaitEnd(db, id, "completed");
        killToEnd.put(trial.name(), (System.nanoTime() - killedAt) / 1_000_000);
        verify(db, awx, trial, id, tenants, rolloutsBefore);
        return new ChildJvm[] {next, nextSpare};
    }

    /** @return the rollout the tenant is a member of, or null */
    private static @Nullable String rolloutOf(Schema db, String tenant) {
        List<Map<String, @Nullable Object>> rows = db.rows("SELECT rollout_id FROM tenant_provisioning_rollout_members"
                + " WHERE tenant_id = ?", tenant);
        assertThat(rows).as("rollouts of tenant %s", tenant).hasSizeLessThanOrEqualTo(1);
        return rows.isEmpty() ? null : String.valueOf(rows.get(0).get("rollout_id"));
    }

    private static String stateAtKill(Schema db, FakeAwx awx, @Nullable String rolloutId) {
        if (rolloutId == null) {
            return "nothing stored";
        }
        Map<String, Long> members = new TreeMap<>();
        db.rows("SELECT status, COUNT(*) AS n FROM tenant_provisioning_rollout_members WHERE rollout_id = ? GROUP BY "
                + "status", rolloutId).forEach(r -> members.put(String.valueOf(r.get("status")),
                        ((Number) r.get("n")).longValue()));
        Map<String, @Nullable Object> r = db.rows("SELECT status, current_wave FROM tenant_provisioning_rollouts "
                + "WHERE id = ?", rolloutId).get(0);
        long jobs = db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE idempotency_key LIKE ?",
                "rollout:" + rolloutId + ":%");
        return r.get("status") + " in wave " + r.get("current_wave") + ", members " + members + ", jobs " + jobs;
    }

    /** Waits for the rollout to be in {@code status} and every job to have settled. */
    private static void awaitEnd(Schema db, String rolloutId, String status) {
        await().atMost(END_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> db.scalar(
                "SELECT COUNT(*) FROM tenant_provisioning_rollouts WHERE id = ? AND status = ?", rolloutId, status) == 1
                && db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('queued', 'in_progress')"
                        + " OR NOT tenant_status_applied OR lease_owner IS NOT NULL") == 0);
    }

    /**
     * The pause: its reason names the threshold; no job of the rollout was created after the pause was written, and
     * after the threshold was crossed (the end of the failed job that crossed it) at most one look's worth
     * ({@value #MAX_PARALLEL}) of jobs was created: the look that had read the members before that job ended.
     */
    private static void checkPause(Schema db, String rolloutId) {
        String key = "rollout:" + rolloutId + ":%";
        Map<String, @Nullable Object> r = db.rows("SELECT status_reason FROM tenant_provisioning_rollouts WHERE id = ?",
                rolloutId).get(0);
        assertThat(String.valueOf(r.get("status_reason"))).as("why the rollout paused")
                .startsWith("more than " + TOLERATED + " failed jobs");
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_rollout_events WHERE rollout_id = ? AND "
                + "to_status = 'paused'", rolloutId)).as("pause events").isEqualTo(1);
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE idempotency_key LIKE ? AND "
                + "created_at > (SELECT MAX(at) FROM tenant_provisioning_rollout_events WHERE rollout_id = ? AND "
                + "to_status = 'paused')", key, rolloutId)).as("jobs created after the pause").isZero();
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE idempotency_key LIKE ? AND "
                + "created_at > (SELECT finished_at FROM tenant_provisioning_jobs WHERE idempotency_key LIKE ? AND "
                + "status = 'failed' ORDER BY finished_at OFFSET ? LIMIT 1)", key, key, TOLERATED))
                .as("jobs created after the threshold was crossed").isLessThanOrEqualTo(MAX_PARALLEL);
    }

    private static void verify(Schema db, FakeAwx awx, Trial trial, String rolloutId, List<String> tenants,
            long rolloutsBefore) {
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_rollouts")).as("rollouts stored by the trial")
                .isEqualTo(rolloutsBefore + 1);
        Map<String, Long> attempts = new TreeMap<>();
        for (Map<String, @Nullable Object> m : db.rows("SELECT tenant_id, status, attempt FROM "
                + "tenant_provisioning_rollout_members WHERE rollout_id = ?", rolloutId)) {
            assertThat(m.get("status")).as("member %s", m.get("tenant_id")).isEqualTo("succeeded");
            attempts.put(String.valueOf(m.get("tenant_id")), ((Number) m.get("attempt")).longValue() + 1);
        }
        assertThat(attempts).as("members").hasSize(TENANTS);
        Set<String> failing = trial.failing().stream().map(tenants::get).collect(Collectors.toSet());
        attempts.forEach((tenant, n) -> assertThat(n).as("attempts of %s", tenant)
                .isEqualTo(failing.contains(tenant) && n > 1 ? 2L : 1L));
        Map<String, Long> runsByTenant = awx.launches().stream().filter(l -> l.jobId() != null)
                .map(l -> String.valueOf(l.extraVars().get("tenant_id"))).filter(attempts::containsKey)
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
        assertThat(runsByTenant).as("AWX runs by tenant: one per attempt").isEqualTo(attempts);
        Map<String, Long> jobsByTenant = new TreeMap<>();
        db.rows("SELECT tenant_id, COUNT(*) AS n FROM tenant_provisioning_jobs WHERE idempotency_key LIKE ? GROUP BY "
                + "tenant_id", "rollout:" + rolloutId + ":%").forEach(r -> jobsByTenant.put(String.valueOf(
                        r.get("tenant_id")), ((Number) r.get("n")).longValue()));
        assertThat(jobsByTenant).as("jobs by tenant: one per attempt").isEqualTo(attempts);
        assertThat(Launches.duplicates(awx)).as("provisioning jobs launched more than once").isEmpty();
        tenants.forEach(id -> assertThat(db.tenantStatus(id)).as("tenant %s", id).isEqualTo(TenantStatus.PROVISIONED));
        assertThat(db.rows("SELECT data->>'wave' AS wave FROM tenant_provisioning_rollout_events WHERE rollout_id = ? "
                + "AND type = 'wave_started' ORDER BY id", rolloutId).stream().map(r -> r.get("wave")).toList())
                .as("wave_started events").containsExactly("1", "2");
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_rollout_events WHERE rollout_id = ? AND "
                + "type = 'created'", rolloutId)).as("created events").isEqualTo(1);
    }

    /** Starts a node's JVM; it boots in the background while the test goes on. */
    private ChildJvm boot(Schema db, AwxFront front, Path log) throws Exception {
        String nodeId = "rollout-node-" + nodes++;
        Files.deleteIfExists(marker(nodeId));
        return ChildJvm.start(CrashNode.class, nodeId, log, List.of(), db.url(), front.baseUrl(), nodeId,
                marker(nodeId).toString(), CrashNode.SHORT_LEASE);
    }

    /** Waits for a node to have booted and starts its engine. */
    private ChildJvm startEngine(ChildJvm node) throws Exception {
        node.awaitLine("BOOTED"::equals, START_TIMEOUT);
        bootMillis.add(node.millisSinceStart());
        node.send("START");
        node.awaitLine("READY"::equals, START_TIMEOUT);
        return node;
    }

    private Path marker(String nodeId) {
        return dir.resolve("shutdown-hook-" + nodeId + ".txt");
    }
}
