package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.CpuMeter;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Parallel;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Concurrent throughput against a concurrent floor, in one process on one database: {@code threads} client threads
 * request provision lifecycles on one {@link TenantProvisioner} running on its own default scheduler (real threads,
 * real clock; short poll and sweep intervals so that idle waiting is not what is measured) with an instant scripted
 * runner ({@code Script.succeedAfter(0)}: the first poll reports success) and the tenants behind
 * {@link JdbcTenantDirectory}; the floor runs {@link FloorLifecycle} on as many threads over the same pool. A side's
 * rate is its jobs divided by the time from its first request to its last tenant provisioned. After a warm-up of both
 * sides, the repetitions alternate which side runs first; the ratio (engine rate / floor rate) is reported as the
 * median and spread of the per-run ratios. The engine keeps running (and sweeping) while the floor runs. Each side
 * counts its statements by kind through its own {@link StatementCounter} over the same pool, and the CPU time of
 * this JVM and of the PostgreSQL server during each side is read from the operating system.
 */
public final class ConcurrentBenchmark {
    private static final Duration TIMEOUT = Duration.ofHours(2);
    private static final Duration WAIT = Duration.ofMinutes(5);

    /**
     * @param database {@code postgresql} or {@code h2}
     * @param threads client threads per side
     * @param jobs jobs per side and repetition
     * @param warmupJobs jobs of the warm-up (each side)
     * @param repetitions measured repetitions
     * @param poll the engine's poll interval
     * @param sweep the engine's sweep interval
     */
    public record Settings(String database, int threads, int jobs, int warmupJobs, int repetitions, Duration poll,
            Duration sweep) {
    }

    /**
     * One side of one repetition.
     *
     * @param seconds from the first request to the last tenant provisioned
     * @param counts the side's statements
     * @param jvmCpuNanos CPU time of this JVM during the side (every thread: both sides' clients, the engine)
     * @param postgresCpuNanos CPU time of the PostgreSQL server during the side, or negative when not readable
     */
    public record Side(double seconds, StatementCounter.Counts counts, long jvmCpuNanos, long postgresCpuNanos) {
    }

    /**
     * @param engineFirst whether the engine ran before the floor
     * @param engine the engine's side
     * @param floor the floor's side
     */
    public record Run(boolean engineFirst, Side engine, Side floor) {
    }

    /**
     * @param database the database's description
     * @param settings the sizes
     * @param poolSize connections in the shared pool
     * @param runs the measured repetitions, in order
     */
    public record Result(String database, Settings settings, int poolSize, List<Run> runs) {
        /** Copies the runs. */
        public Result {
            runs = List.copyOf(runs);
        }

        /** @return the engine's lifecycles per second, one per run */
        public Stats engineRate() {
            return Stats.of(runs.stream().map(r -> settings.jobs() / r.engine().seconds()).toList());
        }

        /** @return the floor's lifecycles per second, one per run */
        public Stats floorRate() {
            return Stats.of(runs.stream().map(r -> settings.jobs() / r.floor().seconds()).toList());
        }

        /** @return the per-run ratios engine rate / floor rate */
        public Stats ratio() {
            return Stats.ofRatios(runs.stream().map(r -> r.floor().seconds()).toList(),
                    runs.stream().map(r -> r.engine().seconds()).toList());
        }

        /** @return the last run's engine statements per job */
        public double engineStatementsPerJob() {
            return runs.get(runs.size() - 1).engine().counts().statements() / (double) settings.jobs();
        }
    }

    private final Databases databases;

    /** @param databases where the databases come from */
    public ConcurrentBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param s the sizes
     * @param report where the figures go
     * @return the figures
     * @throws IllegalStateException when a lifecycle does not end as expected
     */
    public Result run(Settings s, Report report) {
        try (BenchDatabase db = databases.open(s.database())) {
            StatementCounter engineSql = new StatementCounter(db.dataSource());
            StatementCounter floorSql = new StatementCounter(db.dataSource());
            Completions completions = new Completions();
            Clock clock = Clock.systemUTC();
            TenantProvisioner engine = TenantProvisioner.builder()
                    .repository(new JdbcJobRepository(engineSql, db.dialect()))
                    .tenantDirectory(JdbcTenantDirectory.builder(engineSql).build())
                    .runner(new ScriptedAutomationRunner(clock).defaultScript(Script.succeedAfter(0)))
                    .nodeId("bench-concurrent").pollInterval(s.poll()).sweepInterval(s.sweep()).jobTimeout(TIMEOUT)
                    .listener(completions).build();
            List<FloorLifecycle> floors = new ArrayList<>();
            ScriptedAutomationRunner floorRunner = new ScriptedAutomationRunner(clock)
                    .defaultScript(Script.succeedAfter(0));
            for (int t = 0; t < s.threads(); t++) {
                floors.add(new FloorLifecycle(floorSql, db.dialect(), floorRunner, clock, TIMEOUT));
            }
            engine.start();
            try {
                List<String> warmE = db.addTenants("warm-e-", s.warmupJobs());
                List<String> warmF = db.addTenants("warm-f-", s.warmupJobs());
                runEngine(engine, completions, s.threads(), warmE);
                runFloor(floors, warmF);
                List<Run> runs = new ArrayList<>();
                for (int r = 0; r < s.repetitions(); r++) {
                    List<String> e = db.addTenants("r" + r + "-e-", s.jobs());
                    List<String> f = db.addTenants("r" + r + "-f-", s.jobs());
                    boolean engineFirst = r % 2 == 0;
                    Supplier<Side> engineSide = () -> measure(engineSql, db,
                            () -> runEngine(engine, completions, s.threads(), e));
                    Supplier<Side> floorSide = () -> measure(floorSql, db, () -> runFloor(floors, f));
                    Side es;
                    Side fs;
                    if (engineFirst) {
                        es = engineSide.get();
                        fs = floorSide.get();
                    } else {
                        fs = floorSide.get();
                        es = engineSide.get();
                    }
                    runs.add(new Run(engineFirst, es, fs));
                }
                check(db, s);
                Result result = new Result(db.description(), s, Databases.DEFAULT_POOL_SIZE, runs);
                write(result, report);
                return result;
            } finally {
                engine.close();
            }
        }
    }

    private static Side measure(StatementCounter sql, BenchDatabase db, Runnable side) {
        CpuMeter meter = CpuMeter.of(db.dataSource());
        CpuMeter.Reading before = meter.read();
        sql.reset();
        long start = System.nanoTime();
        side.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        StatementCounter.Counts counts = sql.counts();
        CpuMeter.Reading cpu = meter.read().minus(before);
        return new Side(seconds, counts, Math.round(cpu.jvmSeconds() * 1e9),
                Double.isNaN(cpu.postgresSeconds()) ? -1 : Math.round(cpu.postgresSeconds() * 1e9));
    }

    private static void runEngine(TenantProvisioner engine, Completions completions, int threads,
            List<String> tenants) {
        completions.reset();
        Parallel.forEach(threads, tenants.size(), i -> engine.request(
                ProvisioningRequest.provision(tenants.get(i), DeploymentMode.DOTMAC_HOSTED)));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (completions.completed() < tenants.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("engine: only " + completions.completed() + " of " + tenants.size()
                        + " jobs finished in " + WAIT);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (completions.completed(JobStatus.SUCCEEDED) != tenants.size()) {
            throw new IllegalStateException("engine: not every job succeeded");
        }
    }

    private static void runFloor(List<FloorLifecycle> floors, List<String> tenants) {
        int threads = floors.size();
        Parallel.forEach(threads, tenants.size(), i -> floors.get(i % threads).provision(tenants.get(i)));
    }

    private static void check(BenchDatabase db, Settings s) {
        long expected = 2L * (s.warmupJobs() + (long) s.jobs() * s.repetitions());
        long succeeded = db.count("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'succeeded'");
        long provisioned = db.count("SELECT COUNT(*) FROM tenants WHERE status = 'provisioned'");
        if (succeeded != expected || provisioned != expected) {
            throw new IllegalStateException("expected " + expected + " succeeded jobs and provisioned tenants, found "
                    + succeeded + " and " + provisioned);
        }
    }

    private static void write(Result r, Report report) {
        Settings s = r.settings();
        report.heading(3, "Concurrent throughput against a concurrent floor: " + r.database());
        report.line("%d client threads per side, %,d jobs per side and repetition, %d repetitions after a warm-up of "
                + "%,d jobs per side, one HikariCP pool of %d connections shared by both sides (each counts its own "
                + "statements). Engine: one TenantProvisioner, its default ExecutorScheduler, real clock, poll "
                + "interval %d ms, sweep interval %d ms, scripted runner succeeding at the first poll; it keeps "
                + "sweeping while the floor runs. Floor: FloorLifecycle on %d threads. Rate = jobs / (first request "
                + "→ last tenant provisioned). The order of the sides alternates; the ratio is the median of the "
                + "per-run ratios (min–max, runs).", s.threads(), s.jobs(), s.repetitions(), s.warmupJobs(),
                r.poolSize(), s.poll().toMillis(), s.sweep().toMillis(), s.threads());
        report.line("");
        report.table(List.of("figure", "engine", "floor", "engine / floor"), List.of(
                List.of("lifecycles per second: median (min–max, runs)", "**" + r.engineRate().medianAndSpread(0)
                        + "**", r.floorRate().medianAndSpread(0), "**" + r.ratio().medianAndSpread(2) + "**"),
                List.of("SQL statements per job (last run)", Report.num(r.engineStatementsPerJob(), 2),
                        Report.num(last(r).floor().counts().statements() / (double) s.jobs(), 2), "")));
        List<List<String>> rows = new ArrayList<>();
        int n = 1;
        for (Run run : r.runs()) {
            rows.add(List.of(String.valueOf(n++), run.engineFirst() ? "engine, floor" : "floor, engine",
                    Report.num(s.jobs() / run.engine().seconds(), 0), Report.num(s.jobs() / run.floor().seconds(), 0),
                    Report.num(run.floor().seconds() / run.engine().seconds(), 2),
                    cpu(run.engine().jvmCpuNanos(), s.jobs()), cpu(run.engine().postgresCpuNanos(), s.jobs()),
                    cpu(run.floor().jvmCpuNanos(), s.jobs()), cpu(run.floor().postgresCpuNanos(), s.jobs())));
        }
        report.table(List.of("run", "order", "engine jobs/s", "floor jobs/s", "ratio", "engine: JVM CPU ms/job",
                "engine: PostgreSQL CPU ms/job", "floor: JVM CPU ms/job", "floor: PostgreSQL CPU ms/job"), rows);
        Side e = last(r).engine();
        Side f = last(r).floor();
        Set<String> kinds = new TreeSet<>(e.counts().executions().keySet());
        kinds.addAll(f.counts().executions().keySet());
        List<List<String>> byKind = new ArrayList<>();
        for (String kind : kinds) {
            byKind.add(List.of(kind, perJob(e, kind, s.jobs()), perJob(f, kind, s.jobs())));
        }
        byKind.add(List.of("(explicit commit)", Report.num(e.counts().commits() / (double) s.jobs(), 2),
                Report.num(f.counts().commits() / (double) s.jobs(), 2)));
        report.line("Statements per job by kind (last run; a JDBC batch counts once; the engine's include its "
                + "sweeps during its side, so the claims per job depend on timing):");
        report.line("");
        report.table(List.of("statement kind", "engine per job", "floor per job"), byKind);
    }

    private static Run last(Result r) {
        return r.runs().get(r.runs().size() - 1);
    }

    private static String cpu(long nanos, int jobs) {
        return nanos < 0 ? "n/a" : Report.num(nanos / 1e6 / jobs, 3);
    }

    private static String perJob(Side side, String kind, int jobs) {
        Long n = side.counts().executions().get(kind);
        return n == null ? "" : Report.num(n / (double) jobs, 3);
    }
}
