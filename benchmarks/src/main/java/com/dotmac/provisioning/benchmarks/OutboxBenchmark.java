package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.benchmarks.events.EventReceiver;
import com.dotmac.provisioning.benchmarks.events.JavaConsumerReceiver;
import com.dotmac.provisioning.benchmarks.events.WebhookReceiver;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.Stats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Events out, in one run on one database: (a) lifecycle throughput with the durable outbox off and on
 * ({@link OutboxThroughput}), and (b) the lag from a change to its receipt with every receiving end in
 * {@link #receivers()} and every delivery interval asked for ({@link DeliveryLag}). Not thread-safe; one run at a time.
 */
public final class OutboxBenchmark {
    /**
     * @param database {@code postgresql} or {@code h2}
     * @param jobs jobs per repetition and side of the throughput comparison
     * @param warmupJobs jobs of its warm-up, each side
     * @param repetitions its measured repetitions
     * @param lagJobs jobs of each delivery-lag run
     * @param intervals the event delivery intervals of the lag runs
     * @param receivers the receiving ends of the lag runs, by their names in {@link #receivers}
     * @param webhookPoll the webhook dispatcher's poll interval
     */
    public record Settings(String database, int jobs, int warmupJobs, int repetitions, int lagJobs,
            List<Duration> intervals, List<String> receivers, Duration webhookPoll) {
        /**
         * Copies the lists.
         *
         * @throws IllegalArgumentException naming a receiver that does not exist
         */
        public Settings {
            intervals = List.copyOf(intervals);
            receivers = List.copyOf(receivers);
            for (String r : receivers) {
                if (!RECEIVERS.contains(r)) {
                    throw new IllegalArgumentException("unknown receiver '" + r + "'; choose from " + RECEIVERS);
                }
            }
        }
    }

    /** The names of the receiving ends, in the report's order. */
    static final List<String> RECEIVERS = List.of("java", "webhook");

    /**
     * @param throughput the outbox off and on
     * @param lags one per receiver and interval
     */
    record Result(OutboxThroughput.Result throughput, List<DeliveryLag.Result> lags) {
        Result {
            lags = List.copyOf(lags);
        }
    }

    private final Databases databases;

    /** @param databases where the databases come from */
    public OutboxBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * The receiving ends the delivery lag is measured with: {@code java}, the engine's Java {@code EventConsumer}
     * ({@link JavaConsumerReceiver}), and {@code webhook}, the webhook module's whole path (queue table on the jobs'
     * database, dispatcher, signed CloudEvents posted to an HTTP server here: {@link WebhookReceiver}).
     *
     * @param webhookPoll the webhook dispatcher's poll interval
     * @return by name ({@link #RECEIVERS}), a fresh receiver of each kind on a run's database
     */
    static Map<String, Function<BenchDatabase, EventReceiver>> receivers(Duration webhookPoll) {
        Map<String, Function<BenchDatabase, EventReceiver>> all = new LinkedHashMap<>();
        all.put("java", db -> new JavaConsumerReceiver(Clock.systemUTC()));
        all.put("webhook", db -> new WebhookReceiver(db.newPool(WEBHOOK_POOL_SIZE), db.dialect(), webhookPoll,
                Clock.systemUTC()));
        return all;
    }

    /** Connections of the webhook queue's pool: the dispatcher's posts (4) and the outbox's enqueue. */
    private static final int WEBHOOK_POOL_SIZE = 6;

    /**
     * @param s the sizes
     * @param report where the figures go
     * @return the figures
     */
    Result run(Settings s, Report report) {
        OutboxThroughput.Result throughput;
        try (BenchDatabase db = databases.open(s.database())) {
            throughput = OutboxThroughput.run(db, s.jobs(), s.warmupJobs(), Math.max(1, s.repetitions()));
        }
        List<DeliveryLag.Result> lags = new ArrayList<>();
        Map<String, Function<BenchDatabase, EventReceiver>> kinds = receivers(s.webhookPoll());
        for (String name : s.receivers()) {
            Function<BenchDatabase, EventReceiver> kind = Objects.requireNonNull(kinds.get(name), name);
            for (Duration interval : s.intervals()) {
                try (BenchDatabase db = databases.open(s.database()); EventReceiver receiver = kind.apply(db)) {
                    lags.add(DeliveryLag.run(db, s.lagJobs(), interval, receiver));
                }
            }
        }
        Result result = new Result(throughput, lags);
        write(result, s, report);
        return result;
    }

    private static void write(Result r, Settings s, Report report) {
        OutboxThroughput.Result t = r.throughput();
        report.heading(3, "Events out: lifecycle throughput with the outbox off and on: " + t.database());
        report.line("%d jobs per repetition and side, %d repetitions after a warm-up of %d jobs per side, in one JVM, "
                + "stepped engines (manual scheduler, movable clock, instant scripted runner); the order of the sides "
                + "alternates. On: JdbcJobRepository.withOutbox() and an EventConsumer that counts; its delivery "
                + "worker runs after every sweep and the outbox is drained before the side's clock stops, so its "
                + "time and statements include delivering every event of the run.", s.jobs(), s.repetitions(),
                s.warmupJobs());
        report.line("");
        double offStatements = t.off().statements() / (double) t.jobs();
        double onStatements = t.on().statements() / (double) t.jobs();
        OutboxThroughput.Run last = t.runs().get(t.runs().size() - 1);
        report.table(List.of("per job", "outbox off", "outbox on", "on / off"), List.of(
                List.of("wall time (ms, median)", Report.num(t.offMillis(), 3), Report.num(t.onMillis(), 3),
                        "**" + t.wallRatio().medianAndSpread(2) + "** (median of per-run ratios, min–max, runs)"),
                List.of("jobs per second", Report.num(1000 / t.offMillis(), 0), Report.num(1000 / t.onMillis(), 0),
                        ""),
                List.of("SQL statements", Report.num(offStatements, 2), Report.num(onStatements, 2),
                        Report.num(onStatements / offStatements, 2)),
                List.of("time inside statements (ms)", Report.num(t.off().statementNanos() / 1e6 / t.jobs(), 3),
                        Report.num(t.on().statementNanos() / 1e6 / t.jobs(), 3),
                        Report.num(t.on().statementNanos() / (double) t.off().statementNanos(), 2)),
                List.of("events delivered during the run (last repetition, all jobs)", "0",
                        String.valueOf(last.eventsDelivered()), "")));
        List<List<String>> runs = new ArrayList<>();
        int n = 1;
        for (OutboxThroughput.Run run : t.runs()) {
            runs.add(List.of(String.valueOf(n++), run.offFirst() ? "off, on" : "on, off",
                    Report.num(run.offMillis(), 3), Report.num(run.onMillis(), 3),
                    Report.num(run.onMillis() / run.offMillis(), 2), Report.num(run.offStatements(), 2),
                    Report.num(run.onStatements(), 2), String.valueOf(run.eventsDelivered())));
        }
        report.table(List.of("run", "order", "off ms/job", "on ms/job", "wall ratio", "off statements/job",
                "on statements/job", "events delivered"), runs);
        Set<String> kinds = new TreeSet<>(t.off().executions().keySet());
        kinds.addAll(t.on().executions().keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String kind : kinds) {
            rows.add(List.of(kind, perJob(t.off(), kind, t.jobs()), micros(t.off(), kind),
                    perJob(t.on(), kind, t.jobs()), micros(t.on(), kind)));
        }
        report.table(List.of("statement kind (last repetition)", "off per job", "off µs each", "on per job",
                "on µs each"), rows);

        report.heading(3, "Events out: delivery lag from the change to its receipt");
        report.line("%s; %,d jobs per run requested by 4 client threads to one real-time engine (default scheduler, "
                + "real clock, poll 200 ms, sweep 100 ms, a scripted runner: running at the first poll, success at "
                + "the second) on JdbcJobRepository.withOutbox(). Lag = time of receipt − the event's `at` (stamped "
                + "by the engine just before the change's commit), at the first receipt of each event id. Webhook: "
                + "Webhooks.eventConsumer() queues each event in JdbcWebhookDeliveryStore on the same database, the "
                + "WebhookDispatcher (poll %d ms, woken by each enqueue and each finished post; 4 posts at once) "
                + "posts it to an HTTP server on the loopback address that verifies every signature; its statements "
                + "are those of the queue table only.", t.database(), s.lagJobs(), s.webhookPoll().toMillis());
        report.line("");
        List<List<String>> lagRows = new ArrayList<>();
        for (DeliveryLag.Result l : r.lags()) {
            Stats lag = l.lagMillis();
            lagRows.add(List.of(l.receiver(), l.interval().toMillis() + " ms", String.valueOf(l.jobs()),
                    String.valueOf(l.events()), String.valueOf(l.duplicates()), Report.num(lag.median(), 0),
                    Report.num(lag.percentile(99), 0), Report.num(lag.max(), 0), Report.num(l.seconds(), 1),
                    l.hopStatements().executions().isEmpty() ? "" : Report.num(l.hopStatementsPerEvent(), 2)));
        }
        report.table(List.of("receiver", "delivery interval", "jobs", "events", "duplicates", "lag p50 (ms)",
                "lag p99 (ms)", "lag max (ms)", "run (s)", "hop statements / event"), lagRows);
        writeHopStatements(r.lags(), report);
        report.line("One run per row (real time, real threads: single-run figures that move from run to run on a "
                + "shared machine).");
    }

    private static void writeHopStatements(List<DeliveryLag.Result> lags, Report report) {
        List<DeliveryLag.Result> counted = lags.stream()
                .filter(l -> !l.hopStatements().executions().isEmpty()).toList();
        if (counted.isEmpty()) {
            return;
        }
        Set<String> kinds = new TreeSet<>();
        counted.forEach(l -> kinds.addAll(l.hopStatements().executions().keySet()));
        List<String> header = new ArrayList<>(List.of("hop statement kind"));
        counted.forEach(l -> {
            header.add(l.interval().toMillis() + " ms: per event");
            header.add(l.interval().toMillis() + " ms: µs each");
        });
        List<List<String>> rows = new ArrayList<>();
        for (String kind : kinds) {
            List<String> row = new ArrayList<>(List.of(kind));
            for (DeliveryLag.Result l : counted) {
                row.add(perJob(l.hopStatements(), kind, Math.max(1, l.events())));
                row.add(micros(l.hopStatements(), kind));
            }
            rows.add(row);
        }
        report.line("Statements of the receiver's own hop (%s), per event received and their mean time:",
                counted.get(0).receiver());
        report.line("");
        report.table(header, rows);
    }

    private static String micros(StatementCounter.Counts counts, String kind) {
        Long n = counts.executions().get(kind);
        Long t = counts.nanos().get(kind);
        return n == null || t == null || n == 0 ? "" : Report.num(t / 1e3 / n, 0);
    }

    private static String perJob(StatementCounter.Counts counts, String kind, int jobs) {
        Long n = counts.executions().get(kind);
        return n == null ? "" : Report.num(n / (double) jobs, 2);
    }
}
