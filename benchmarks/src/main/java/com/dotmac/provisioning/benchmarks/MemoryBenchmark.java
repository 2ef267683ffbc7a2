package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.JvmState;
import com.dotmac.provisioning.benchmarks.support.Parallel;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * What the engine itself holds with {@code jobs} runs in flight on one node (default 10,000), and its threads: the
 * runner is a {@link StubRunner} that keeps nothing per run (so no fake AWX shares the heap), the database is
 * embedded PostgreSQL (its own processes), and the engine runs on its own default scheduler (real threads; a
 * movable clock only decides what is due). For each value of {@code runnerCallThreads} ({@link #DEFAULT}: the
 * builder is not called, so the same classes run against an engine from before the setting), on a fresh schema: the requests from 8 client threads and their
 * launches, the heap after a full collection before the engine and with every run in flight, then one sweep with
 * every run due; the threads started since the side began are sampled all along, and the most of each group (the
 * name without its numbers) is reported, the engine's ({@code provisioning-*}) apart.
 */
public final class MemoryBenchmark {
    /** The side that leaves {@code runnerCallThreads} at its default (and works on an engine without the setting). */
    public static final String DEFAULT = "default";
    /**
     * The suffix of a side whose stub runner says its calls end when interrupted ({@code default/interruptible}):
     * the engine then makes them on its own threads; without it, on its runner-call pool.
     */
    public static final String INTERRUPTIBLE = "/interruptible";

    private static final Duration POLL = Duration.ofSeconds(15);
    private static final Duration SWEEP = Duration.ofMillis(500);
    private static final int CLIENT_THREADS = 8;
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String ENGINE_PACKAGE = "com.dotmac.provisioning.";

    /**
     * @param database {@code postgresql} or {@code h2}
     * @param jobs runs in flight
     * @param runnerCallThreads the sides, each a number or {@link #DEFAULT}, with {@link #INTERRUPTIBLE} after it for
     *     a stub runner whose calls end when interrupted
     * @param callLatency how long each runner call takes (slept)
     * @param label what the report calls the engine on the class path (e.g. its commit)
     */
    public record Settings(String database, int jobs, List<String> runnerCallThreads, Duration callLatency,
            String label) {
    }

    /**
     * One side's figures.
     *
     * @param side the {@code runnerCallThreads} value
     * @param requestSeconds requesting and launching every job
     * @param heapBefore heap after a full collection before the engine was built
     * @param heapWith heap after a full collection with every run in flight
     * @param engineObjects live objects of the engine's classes with every run in flight
     * @param launchThreads the most threads of each group while the jobs were requested and launched
     * @param sweepThreads the most threads of each group during the sweep of every run
     * @param sweepSeconds the sweep of every run (from the clock's move until the last run was polled)
     * @param mostCallsAtOnce the most runner calls in progress at once
     * @param threadsBefore threads alive before the side (the JVM's, the database pool's, an earlier side's idle ones)
     */
    record Side(String side, double requestSeconds, long heapBefore, long heapWith, JvmState.ClassUse engineObjects,
            Map<String, Integer> launchThreads, Map<String, Integer> sweepThreads, double sweepSeconds,
            int mostCallsAtOnce, int threadsBefore) {
    }

    private final Databases databases;

    /** @param databases where the database comes from */
    public MemoryBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param s the sizes
     * @param report where the figures go
     * @return each side's figures, in order
     */
    public List<Side> run(Settings s, Report report) {
        report.heading(3, "Memory and threads: " + s.jobs() + " runs in flight on one node"
                + (s.label().isBlank() ? "" : ", engine " + s.label()));
        List<Side> sides = new ArrayList<>();
        for (String side : s.runnerCallThreads()) {
            sides.add(side(s, side));
        }
        report.line("Stub runner (keeps nothing per run, each call sleeps %d ms), engine on its default scheduler, "
                + "requests from %d client threads, poll %s, sweep %s; one run, sides one after the other on fresh "
                + "schemas of one database.", s.callLatency().toMillis(), CLIENT_THREADS, POLL, SWEEP);
        report.line("");
        List<String> header = new ArrayList<>(List.of(""));
        sides.forEach(side -> header.add("runnerCallThreads=" + side.side()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("requesting and launching, s", sides, x -> Report.num(x.requestSeconds(), 1)));
        rows.add(row("heap after full GC before the engine, MiB", sides, x -> Report.num(mib(x.heapBefore()), 1)));
        rows.add(row("heap after full GC with every run in flight, MiB", sides,
                x -> Report.num(mib(x.heapWith()), 1)));
        rows.add(row("of which the engine and its pool (difference), MiB", sides,
                x -> Report.num(mib(x.heapWith() - x.heapBefore()), 1)));
        rows.add(row("objects of the engine's classes (shallow KiB)", sides, x -> x.engineObjects().instances()
                + " (" + Report.num(x.engineObjects().bytes() / 1024.0, 1) + ")"));
        rows.add(row("most runner calls at once", sides, x -> String.valueOf(x.mostCallsAtOnce())));
        rows.add(row("engine threads at most, launches", sides, x -> engineThreads(x.launchThreads())));
        rows.add(row("engine threads at most, sweep", sides, x -> engineThreads(x.sweepThreads())));
        rows.add(row("threads alive before the side (not counted above)", sides,
                x -> String.valueOf(x.threadsBefore())));
        rows.add(row("threads started since, at most, sweep", sides, x -> String.valueOf(total(x.sweepThreads()))));
        rows.add(row("sweep of every run, s", sides, x -> Report.num(x.sweepSeconds(), 1)));
        report.table(header, rows);
        report.line("");
        sides.forEach(x -> report.line("- runnerCallThreads=%s, most threads per group during the sweep: %s",
                x.side(), x.sweepThreads()));
        report.line("- a side `%s` has a stub runner that says its calls end when interrupted "
                + "(`callsEndWhenInterrupted`): the engine makes them on its own threads; the others, on its "
                + "runner-call pool (as for a runner that does not say so, such as the local Ansible runner; the AWX "
                + "runner says so)", INTERRUPTIBLE);
        report.line("- engine threads are the groups named `provisioning-*`: the scheduler's pool `provisioning-#-#` "
                + "and its timer `provisioning-#-timer` (heartbeat and call time bounds), the runner-call pool "
                + "`provisioning-runner-call-#`, before this change the lease heartbeat `provisioning-heartbeat-#`; "
                + "`HikariPool` threads belong to the host's database pool; PostgreSQL runs in processes of its own");
        return sides;
    }

    private Side side(Settings s, String side) {
        MutableClock clock = MutableClock.atFixedStart();
        boolean interruptible = side.endsWith(INTERRUPTIBLE);
        String callThreads = interruptible ? side.substring(0, side.length() - INTERRUPTIBLE.length()) : side;
        StubRunner runner = new StubRunner(s.callLatency(), interruptible);
        try (BenchDatabase db = databases.open(s.database()); ThreadSampler sampler = new ThreadSampler()) {
            List<String> tenants = db.addTenants("m-", s.jobs());
            long heapBefore = JvmState.heapUsedAfterGc();
            TenantProvisioner.Builder builder = TenantProvisioner.builder()
                    .repository(new JdbcJobRepository(db.dataSource(), db.dialect()))
                    .tenantDirectory(JdbcTenantDirectory.builder(db.dataSource()).build()).runner(runner)
                    .clock(clock).nodeId("bench-memory").pollInterval(POLL).sweepInterval(SWEEP);
            if (!DEFAULT.equals(callThreads)) {
                builder.runnerCallThreads(Integer.parseInt(callThreads));
            }
            TenantProvisioner engine = builder.build();
            try {
                engine.start();
                sampler.start();
                long t0 = System.nanoTime();
                Parallel.forEach(CLIENT_THREADS, tenants.size(), i -> engine.request(
                        ProvisioningRequest.provision(tenants.get(i), DeploymentMode.DOTMAC_HOSTED)));
                waitFor(() -> db.count("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'in_progress'")
                        == s.jobs(), "every job launched");
                double requestSeconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Integer> launchThreads = sampler.takeMost();
                Map<String, JvmState.ClassUse> histogram = JvmState.histogram();
                long heapWith = JvmState.heapUsedAfterGc();
                JvmState.ClassUse engineObjects = JvmState.sum(histogram,
                        n -> n.startsWith(ENGINE_PACKAGE) && !n.contains(".benchmarks.") && !n.contains(".jdbc."));
                long polledBefore = runner.polled();
                long t1 = System.nanoTime();
                clock.advance(POLL);
                waitFor(() -> runner.polled() - polledBefore >= s.jobs(), "every run polled");
                double sweepSeconds = (System.nanoTime() - t1) / 1e9;
                return new Side(side, requestSeconds, heapBefore, heapWith, engineObjects, launchThreads,
                        sampler.takeMost(), sweepSeconds, runner.mostAtOnce(), sampler.threadsBefore());
            } finally {
                engine.close();
            }
        }
    }

    private static void waitFor(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done within " + WAIT + ": " + what);
            }
            ThreadSampler.sleep(100);
        }
    }

    private static List<String> row(String name, List<Side> sides, java.util.function.Function<Side, String> cell) {
        List<String> row = new ArrayList<>(List.of(name));
        sides.forEach(x -> row.add(cell.apply(x)));
        return row;
    }

    /** @return the engine's threads: their total, then each group */
    static String engineThreads(Map<String, Integer> groups) {
        Map<String, Integer> engine = new TreeMap<>();
        groups.forEach((g, n) -> {
            if (g.startsWith("provisioning-")) {
                engine.put(g, n);
            }
        });
        return total(engine) + " " + engine;
    }

    private static int total(Map<String, Integer> groups) {
        return groups.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
