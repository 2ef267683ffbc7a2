package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Fleet rollouts (issue 16), two parts: enqueueing {@code tenants} tenants as one rollout beside as many single
 * requests ({@link RolloutEnqueue}: wall time and SQL statements, repeated with the order of the sides alternated),
 * and a whole upgrade rollout of {@code tenants} tenants against the fake AWX in real time ({@link WholeRollout}:
 * wall time against the ideal, AWX requests and statements per tenant, runs in flight, heap).
 */
public final class RolloutBenchmark {
    /**
     * @param database {@code postgresql} or {@code h2}
     * @param parts {@code enqueue} and/or {@code whole}
     * @param tenants tenants, in each part (and on each side of the enqueue)
     * @param enqueueRepetitions repetitions of the enqueue comparison
     * @param whole the whole rollout's settings (its {@code tenants} is this {@code tenants})
     */
    public record Settings(String database, List<String> parts, int tenants, int enqueueRepetitions,
            WholeRollout.Settings whole) {
        /**
         * @param database {@code postgresql} or {@code h2}
         * @param parts {@code enqueue} and/or {@code whole}
         * @param tenants tenants in each part
         * @param enqueueRepetitions repetitions of the enqueue comparison
         * @param maxParallel the whole rollout's runs in flight
         * @param runTime how long each AWX run takes
         * @param pollInterval the engine's poll interval
         * @param sweepInterval the engine's sweep interval
         * @return the settings
         */
        public static Settings of(String database, List<String> parts, int tenants, int enqueueRepetitions,
                int maxParallel, Duration runTime, Duration pollInterval, Duration sweepInterval) {
            for (String part : parts) {
                if (!part.equals("enqueue") && !part.equals("whole")) {
                    throw new IllegalArgumentException("rollout parts are enqueue and whole, not '" + part + "'");
                }
            }
            return new Settings(database, List.copyOf(parts), tenants, enqueueRepetitions,
                    new WholeRollout.Settings(tenants, maxParallel, runTime, pollInterval, sweepInterval));
        }
    }

    /**
     * @param enqueue the enqueue comparison's runs (empty when not run)
     * @param whole the whole rollout (null when not run)
     */
    public record Result(List<RolloutEnqueue.Run> enqueue, WholeRollout.@Nullable Result whole) {
        /** Copies the runs. */
        public Result {
            enqueue = List.copyOf(enqueue);
        }
    }

    private final Databases databases;

    /** @param databases where the databases come from */
    public RolloutBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param s the settings
     * @param report where the figures go
     * @return the figures
     */
    public Result run(Settings s, Report report) {
        List<RolloutEnqueue.Run> runs = new ArrayList<>();
        WholeRollout.Result whole = null;
        if (s.parts().contains("enqueue")) {
            try (BenchDatabase db = databases.open(s.database())) {
                RolloutEnqueue enqueue = new RolloutEnqueue(db);
                for (int rep = 0; rep < Math.max(1, s.enqueueRepetitions()); rep++) {
                    runs.add(enqueue.run(rep, s.tenants(), rep % 2 == 0));
                }
                writeEnqueue(s, db.description(), runs, report);
            }
        }
        if (s.parts().contains("whole")) {
            try (BenchDatabase db = databases.open(s.database())) {
                whole = WholeRollout.run(db, s.whole());
                writeWhole(db.description(), whole, report);
            }
        }
        return new Result(runs, whole);
    }

    private static void writeEnqueue(Settings s, String database, List<RolloutEnqueue.Run> runs, Report report) {
        int n = s.tenants();
        report.heading(3, "Rollouts: enqueueing " + String.format(java.util.Locale.ROOT, "%,d", n) + " tenants");
        report.line("%s. One engine, never started (manual scheduler, its tasks never run), so only the request path "
                + "is measured. Rollout: one `rollout(...)` call listing %,d pending tenants (provision, one wave): "
                + "the tenant look-up, the rollout, its members and its first event (the members' jobs are created "
                + "later, as the rollout starts them). Requests: %,d `request()` calls for %,d other pending tenants "
                + "on one thread, each storing its job. Fresh tenants per run; %d runs, the order of the sides "
                + "alternated. Statements: executions the client sent (a JDBC batch counts once; the harness's "
                + "statement counter); server: executions PostgreSQL counted (pg_stat_statements; each row of a "
                + "batch is one).", database, n, n, n, runs.size());
        report.line("");
        RolloutEnqueue.Run last = runs.get(runs.size() - 1);
        List<Double> rolloutSeconds = runs.stream().map(r -> r.rollout().seconds()).toList();
        List<Double> requestSeconds = runs.stream().map(r -> r.requests().seconds()).toList();
        report.table(List.of("", "rollout (one call)", "single requests", "requests / rollout"), List.of(
                List.of("wall s (median, min–max)", Stats.of(rolloutSeconds).medianAndSpread(2),
                        Stats.of(requestSeconds).medianAndSpread(2),
                        Stats.ofRatios(requestSeconds, rolloutSeconds).medianAndSpread(0)),
                List.of("tenants per second (median)", Report.num(n / Stats.of(rolloutSeconds).median(), 0),
                        Report.num(n / Stats.of(requestSeconds).median(), 0), ""),
                List.of("SQL statements (client)", Report.num(last.rollout().statements(), 0),
                        Report.num(last.requests().statements(), 0),
                        Report.num(last.requests().statements() / (double) last.rollout().statements(), 0)),
                List.of("statements per member / per request", Report.num(last.rollout().statements() / (double) n, 4),
                        Report.num(last.requests().statements() / (double) n, 2), ""),
                List.of("of which the rollout's create (rollout, member batches, event)",
                        Report.num(last.rollout().createStatements(), 0), "", ""),
                List.of("commits / connections borrowed", last.rollout().counts().commits() + " / "
                        + last.rollout().counts().connections(), last.requests().counts().commits() + " / "
                        + last.requests().counts().connections(), ""),
                List.of("executions the server counted", serverCalls(last.rollout()),
                        serverCalls(last.requests()), "")));
        report.line("- rollout side, statements by kind: %s", last.rollout().counts().executions());
        report.line("- requests side, statements per request by kind: %s", perUnit(last.requests().counts()
                .executions(), n));
        boolean equal = runs.stream().allMatch(r -> r.rollout().statements() == last.rollout().statements()
                && r.requests().statements() == last.requests().statements());
        report.line("- statement counts %s in all %d runs; times are wall times of this shared machine",
                equal ? "equal" : "NOT equal", runs.size());
    }

    private static void writeWhole(String database, WholeRollout.Result r, Report report) {
        WholeRollout.Settings s = r.settings();
        int n = s.tenants();
        report.heading(3, "Rollouts: a whole upgrade rollout of " + String.format(java.util.Locale.ROOT, "%,d", n)
                + " tenants");
        report.line("%s. One engine on the default scheduler and the real clock: poll interval %s, sweep interval %s "
                + "(a live rollout is looked at every sweep interval), cap on runs in flight %d (the engine keeps %d "
                + "%% of it, at least one, for single requests, which leaves the rollout %d). The AWX runner against "
                + "the fake AWX, whose runs take %s (ended by a timer every %d ms). One wave, maxParallel %d. Tenants "
                + "seeded as provisioned, each with a succeeded provision job.", database,
                text(s.pollInterval()), text(s.sweepInterval()), r.engineCap(), WholeRollout.RESERVED_PERCENT,
                s.maxParallel(), text(s.runTime()), RealTimeRunEnder.TICK.toMillis(), s.maxParallel());
        report.line("");
        Map<RolloutMemberStatus, Long> members = r.rollout().members();
        double ideal = s.idealSeconds();
        report.table(List.of("figure", "value"), List.of(
                List.of("rollout ends", r.rollout().status().wireName() + ", members " + members),
                List.of("wall time (rollout created → completed)", Report.num(r.seconds(), 1) + " s"),
                List.of("ideal (⌈tenants / maxParallel⌉ × run time)", Report.num(ideal, 1) + " s"),
                List.of("wall / ideal", Report.num(r.seconds() / ideal, 2)),
                List.of("time per slot cycle (wall × maxParallel / tenants)",
                        Report.num(r.seconds() * s.maxParallel() / n, 2) + " s for a " + text(s.runTime()) + " run"),
                List.of("of a member's time (means): job created → run launched", Report.num(r.phases().toLaunch(), 2)
                        + " s"),
                List.of("of a member's time: launched → end seen by a poll (run time + wait for the poll)",
                        Report.num(r.phases().launchToEnd(), 2) + " s"),
                List.of("of a member's time: end seen → recorded by the rollout's next look",
                        Report.num(r.phases().endToRollout(), 2) + " s"),
                List.of("rest of the slot cycle (the look that starts the next member, until its job is created)",
                        Report.num(r.seconds() * s.maxParallel() / n - r.phases().toLaunch()
                                - r.phases().launchToEnd() - r.phases().endToRollout(), 2) + " s"),
                List.of("runs active at the fake: most / mean over the rollout", r.mostActive() + " / "
                        + Report.num(r.meanActive(), 1)),
                List.of("first time " + s.maxParallel() + " runs were active", r.secondsToFull() < 0 ? "never"
                        : Report.num(r.secondsToFull(), 1) + " s after the start"),
                List.of("AWX requests per tenant", Report.num(total(r.awx()) / (double) n, 3)),
                List.of("SQL statements per tenant (client)", Report.num(r.sql().statements() / (double) n, 2)),
                List.of("heap used after a full collection: before / after the rollout", mib(r.heapBefore()) + " / "
                        + mib(r.heapAfter())),
                List.of("heap used at most (sampled every tick, garbage included; -Xmx " + mib(r.heapMax()) + ")",
                        mib(r.heapPeak()))));
        report.line("- AWX requests per tenant by kind: %s", perUnit(r.awx(), n));
        report.line("- SQL statements per tenant by kind: %s", perUnit(r.sql().executions(), n));
        report.line("- one run (real time on a shared machine: the wall time moves from run to run; the requests and "
                + "statements per tenant depend on how the polls and looks fall)");
    }

    private static String serverCalls(RolloutEnqueue.Side side) {
        long calls = side.serverCalls();
        return calls < 0 ? "n/a (H2)" : Report.num(calls, 0);
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String perUnit(Map<String, Long> counts, int units) {
        Map<String, String> per = new TreeMap<>();
        counts.forEach((k, v) -> per.put(k, Report.num(v / (double) units, 3)));
        return per.toString();
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String mib(long bytes) {
        return Report.num(bytes / 1048576.0, 0) + " MiB";
    }
}
