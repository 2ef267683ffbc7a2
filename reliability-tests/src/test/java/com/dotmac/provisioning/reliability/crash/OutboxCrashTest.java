package com.dotmac.provisioning.reliability.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Scale;
import com.dotmac.provisioning.reliability.support.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Events out survive the SIGKILL of a node between a change and its delivery: every status change of every job is
 * delivered at least once, each event id stands for one change, each tenant's events are first received in the order
 * of its jobs' timelines, and the outbox ends empty.
 *
 * <p>{@value #TENANTS} tenants on one embedded PostgreSQL schema and one fake AWX; the nodes are
 * {@link OutboxCrashNode}s (child JVMs, {@link CrashNode#LEASE} leases on jobs and claimed outbox records), each
 * with an {@link EventFile} consumer that forces every received event to a file of its own before it returns. Only one
 * node runs at a time (the next is booted in the background and started after the kill), so the nodes' files read one
 * after the other are the order of receipt. Three trials, one job per tenant each (provision, upgrade, decommission),
 * one SIGKILL each, and the next node takes over when the leases run out:
 *
 * <ol>
 *   <li><b>committed, not delivered</b>: the node's deliveries are held; it freezes right after the commit that ends
 *       its third job ({@link OutboxKillPoint.Point#COMMITTED}); at the kill the outbox holds one record per change
 *       committed and the node's file is empty;</li>
 *   <li><b>taken, not recorded</b>: it freezes after the consumer took the first event of the new jobs and before the
 *       record is deleted ({@link OutboxKillPoint.Point#DELIVERED}): the successor delivers it again (the
 *       at-least-once case: that event id is received twice);</li>
 *   <li><b>mid-batch</b>: the trial's jobs all end with deliveries held, so every tenant has a queue; then the node
 *       claims the heads of all of them in one batch and freezes at its middle record after the consumer took it
 *       ({@link OutboxKillPoint.Point#MID_BATCH}): the records before it are delivered, it is received again, the
 *       ones after it wait out their leases.</li>
 * </ol>
 *
 * <p>The figures (events, duplicates, kill to all delivered) go to {@code target/reliability/outbox-crash.txt}.
 */
@Tag("reliability")
@Tag("crash")
class OutboxCrashTest {
    static final int TENANTS = 6;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration END_TIMEOUT = Duration.ofSeconds(60);
    private static final String UNSETTLED = "SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN "
            + "('queued', 'in_progress') OR NOT tenant_status_applied";
    private static final String OUTBOX = "SELECT COUNT(*) FROM tenant_provisioning_outbox";
    private static final String CHANGES = "SELECT COUNT(*) FROM tenant_provisioning_job_events "
            + "WHERE type IN ('created', 'status_changed')";

    private final Path dir = Path.of(System.getProperty("reliability.figures.dir", "target/reliability"));
    private final List<String> nodeIds = new ArrayList<>();
    private final Map<String, String> atKill = new LinkedHashMap<>();
    private final Map<String, Long> killToDelivered = new LinkedHashMap<>();
    private final List<String> frozenEvents = new ArrayList<>();
    private Path log = dir;

    @Test
    void everyChangeIsDeliveredAfterTheSigkillOfItsNodeInOrderPerTenant() throws Exception {
        long seed = Scale.seed();
        Files.createDirectories(dir);
        log = dir.resolve("outbox-crash-nodes.log");
        Files.deleteIfExists(log);
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(2));
        long started = System.nanoTime();
        Figures figures = new Figures("outbox-crash").put("seed (replay with -Dreliability.seed=...)", seed)
                .put("tenants", TENANTS).put("lease (jobs and claimed outbox records)", CrashNode.LEASE)
                .put("delivery interval", OutboxCrashNode.DELIVERY_INTERVAL);
        String outcome = "failed";
        List<EventFile.Line> received = List.of();
        try (Schema db = Postgres.newSchema("outboxcrash").withTables();
             AwxFront front = new AwxFront(awx, new Random(seed)).latency(Duration.ofMillis(10))) {
            front.start();
            List<String> tenants = IntStream.range(0, TENANTS).mapToObj(i -> "ev-" + i).toList();
            tenants.forEach(t -> db.insertTenant(t, "new"));
            ChildJvm node = startEngine(boot(db, front));
            ChildJvm spare = boot(db, front);
            try {
                // 1. committed, deliveries held: frozen after the commit that ends the third job
                node.send("HOLD");
                node.awaitLine("HOLD_DONE"::equals, START_TIMEOUT);
                node.send("FREEZE " + OutboxKillPoint.Point.COMMITTED.wireName() + " 3");
                node.send(batch(tenants, "provision"));
                String frozen = awaitBatch(node, true);
                kill(node);
                long killed = System.nanoTime();
                long outboxAtKill = db.scalar(OUTBOX);
                assertThat(EventFile.read(eventsFile(node.nodeId()))).as("events the held node delivered").isEmpty();
                assertThat(outboxAtKill).as("outbox records at the kill: one per change committed")
                        .isEqualTo(db.scalar(CHANGES)).isPositive();
                atKill.put("committed", frozen.substring(7) + "; outbox " + outboxAtKill + ", delivered 0");
                ChildJvm[] next = takeOver(db, front, spare, "committed", killed);
                node = next[0];
                spare = next[1];

                // 2. the consumer took an event, its record is not deleted
                node.send("FREEZE " + OutboxKillPoint.Point.DELIVERED.wireName());
                node.send(batch(tenants, "upgrade"));
                frozen = awaitBatch(node, true);
                kill(node);
                killed = System.nanoTime();
                String taken = frozen.split(" ")[2];
                frozenEvents.add(taken);
                assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_outbox WHERE event_id = ?", taken))
                        .as("the record of the event the consumer took before the kill").isOne();
                assertThat(EventFile.read(eventsFile(node.nodeId()))).extracting(EventFile.Line::eventId)
                        .as("events the killed node received").contains(taken);
                atKill.put("delivered, not recorded", "event " + taken + "; outbox " + db.scalar(OUTBOX));
                next = takeOver(db, front, spare, "delivered, not recorded", killed);
                node = next[0];
                spare = next[1];

                // 3. mid-batch: every tenant has a queue, then one claim takes all their heads
                node.send("HOLD");
                node.awaitLine("HOLD_DONE"::equals, START_TIMEOUT);
                node.send(batch(tenants, "decommission"));
                awaitBatch(node, false);
                await().atMost(END_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> db.scalar(UNSETTLED) == 0);
                long outboxHeld = db.scalar(OUTBOX);
                node.send("FREEZE " + OutboxKillPoint.Point.MID_BATCH.wireName());
                node.send("RELEASE");
                frozen = node.awaitLine(l -> l.startsWith("FROZEN "), START_TIMEOUT);
                kill(node);
                killed = System.nanoTime();
                String[] words = frozen.split(" ");
                frozenEvents.add(words[2]);
                int position = Integer.parseInt(words[4]);
                int batchSize = Integer.parseInt(words[6]);
                assertThat(batchSize).as("records of the claimed batch (one per tenant)").isEqualTo(TENANTS);
                assertThat(words[8].split(",")).as("tenants of the batch").hasSize(TENANTS);
                long outboxMid = db.scalar(OUTBOX);
                assertThat(outboxMid).as("outbox records at the kill: all held ones but the batch's records before the "
                        + "frozen one").isEqualTo(outboxHeld - (position - 1));
                atKill.put("mid-batch", "record " + position + " of a batch of " + batchSize + " tenants; outbox "
                        + outboxMid);
                next = takeOver(db, front, spare, "mid-batch", killed);
                node = next[0];
                spare = next[1];
            } finally {
                spare.close();
                assertThat(node.exit(Duration.ofSeconds(30))).as("a node asked to exit exits normally").isZero();
            }

            received = receivedInOrder();
            Map<String, List<String>> timelines = timelines(db);
            Map<String, List<String>> firstReceipts = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            for (EventFile.Line line : received) {
                if (seen.add(line.eventId())) {
                    firstReceipts.computeIfAbsent(line.tenantId(), t -> new ArrayList<>())
                            .add(line.jobId() + " " + line.toStatus());
                }
            }
            assertThat(db.scalar(OUTBOX)).as("outbox records left").isZero();
            assertThat(timelines).as("tenants with jobs").hasSize(TENANTS);
            assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'succeeded'"))
                    .as("jobs succeeded: one per tenant and trial").isEqualTo(3L * TENANTS);
            assertThat(firstReceipts).as("each tenant's changes, in the order first received (after dedup by event "
                    + "id), against its jobs' timelines").isEqualTo(timelines);
            assertThat(seen).as("distinct event ids: one per change").hasSize((int) db.scalar(CHANGES));
            Map<String, Long> receipts = received.stream()
                    .collect(Collectors.groupingBy(EventFile.Line::eventId, Collectors.counting()));
            for (String id : frozenEvents) {
                assertThat(receipts.get(id)).as("receipts of event %s, taken by a node killed before its record "
                        + "was deleted", id).isEqualTo(2L);
            }
            outcome = "passed";
        } finally {
            long distinct = received.stream().map(EventFile.Line::eventId).distinct().count();
            figures.put("outcome", outcome)
                    .put("node JVMs started", nodeIds.size())
                    .put("state at each kill", atKill)
                    .put("kill to every change delivered and the outbox empty (ms)", killToDelivered)
                    .put("events (distinct ids)", distinct)
                    .put("receipts", received.size())
                    .put("duplicates received", received.size() - distinct)
                    .seconds("time taken", (System.nanoTime() - started) / 1e9)
                    .save();
        }
    }

    /**
     * Waits until the node answered every request of the batch just sent (each {@code CREATED}) and, when
     * {@code frozen}, also froze; a refused request fails the test.
     *
     * @return the {@code FROZEN} line, or an empty string when not waiting for one
     */
    private static String awaitBatch(ChildJvm node, boolean frozen) throws InterruptedException {
        int[] created = {0};
        String[] frozenLine = {""};
        node.awaitLine(line -> {
            assertThat(line).as("a request of the batch").doesNotStartWith("REFUSED ");
            if (line.startsWith("CREATED ")) {
                created[0]++;
            } else if (line.startsWith("FROZEN ")) {
                frozenLine[0] = line;
            }
            return created[0] == TENANTS && (!frozen || !frozenLine[0].isEmpty());
        }, START_TIMEOUT);
        return frozenLine[0];
    }

    private static String batch(List<String> tenants, String operation) {
        return "BATCH " + tenants.stream().map(t -> t + ":" + operation).collect(Collectors.joining(" "));
    }

    private void kill(ChildJvm node) throws InterruptedException {
        assertThat(node.killHard()).as("exit value of %s: SIGKILL gives 128 + 9", node.nodeId())
                .isEqualTo(SIGKILL_EXIT);
        assertThat(marker(node.nodeId())).as("the shutdown hook of a SIGKILLed JVM never runs").doesNotExist();
    }

    /**
     * Starts the spare's engine, boots the next spare, and waits until every job settled and the outbox is empty.
     *
     * @return the running node and the next spare
     */
    private ChildJvm[] takeOver(Schema db, AwxFront front, ChildJvm spare, String trial, long killedNanos)
            throws Exception {
        ChildJvm next = startEngine(spare);
        ChildJvm nextSpare = boot(db, front);
        await().atMost(END_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> db.scalar(UNSETTLED) == 0 && db.scalar(OUTBOX) == 0);
        killToDelivered.put(trial, (System.nanoTime() - killedNanos) / 1_000_000);
        return new ChildJvm[] {next, nextSpare};
    }

    /** @return each tenant's changes in timeline order, as {@code <job id> <status>} */
    private static Map<String, List<String>> timelines(Schema db) {
        Map<String, List<String>> byTenant = new TreeMap<>();
        for (Map<String, @Nullable Object> row : db.rows("SELECT j.tenant_id, e.job_id, e.to_status "
                + "FROM tenant_provisioning_job_events e JOIN tenant_provisioning_jobs j ON j.id = e.job_id "
                + "WHERE e.type IN ('created', 'status_changed') ORDER BY e.id")) {
            byTenant.computeIfAbsent(String.valueOf(row.get("tenant_id")), t -> new ArrayList<>())
                    .add(row.get("job_id") + " " + row.get("to_status"));
        }
        return byTenant;
    }

    /** @return every receipt, node after node (one node ran at a time), each node's in the order it wrote them */
    private List<EventFile.Line> receivedInOrder() throws java.io.IOException {
        List<EventFile.Line> all = new ArrayList<>();
        for (String id : nodeIds) {
            all.addAll(EventFile.read(eventsFile(id)));
        }
        return all;
    }

    private ChildJvm boot(Schema db, AwxFront front) throws Exception {
        String nodeId = "outbox-node-" + (nodeIds.size() + 1);
        nodeIds.add(nodeId);
        Files.deleteIfExists(marker(nodeId));
        Files.deleteIfExists(eventsFile(nodeId));
        return ChildJvm.start(OutboxCrashNode.class, nodeId, log, List.of(), db.url(), front.baseUrl(), nodeId,
                marker(nodeId).toString(), eventsFile(nodeId).toString());
    }

    /** Waits for a node to have booted and starts its engine. */
    private static ChildJvm startEngine(ChildJvm node) throws Exception {
        node.awaitLine("BOOTED"::equals, START_TIMEOUT);
        node.send("START");
        node.awaitLine("READY"::equals, START_TIMEOUT);
        return node;
    }

    private Path marker(String nodeId) {
        return dir.resolve("shutdown-hook-" + nodeId + ".txt");
    }

    private Path eventsFile(String nodeId) {
        return dir.resolve("received-events-" + nodeId + ".tsv");
    }
}
