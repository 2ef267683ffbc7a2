package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.ServerStatements;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Engine throughput against the JDBC floor, in one process on one database: the full lifecycle (request → launch →
 * in progress → succeeded → tenant provisioned) with an instant scripted runner ({@code Script.succeedAfter(0)}),
 * the engine stepped on this thread (manual scheduler, movable clock: no sleeps, no idle time), the tenants in a
 * {@code tenants} table behind {@link JdbcTenantDirectory}. The {@link FloorLifecycle} does the same lifecycle
 * with the fewest statements. Both count their statements through their own {@link StatementCounter} over the same
 * pool; after a warm-up of both, the repetitions alternate which side runs first, and each ratio is reported as the
 * median and spread of the per-run ratios.
 */
public final class ThroughputBenchmark {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofHours(2);

    /**
     * @param jobs jobs per repetition
     * @param warmupJobs jobs of the warm-up (each side)
     * @param repetitions measured repetitions (each side)
     */
    public record Settings(int jobs, int warmupJobs, int repetitions) {
    }

    /**
     * One side's figures.
     *
     * @param millisPerJob median over the repetitions of wall time per job
     * @param jobsPerSecond the matching rate
     * @param counts statements of the last repetition
     * @param jobs jobs per repetition
     * @param server the database server's own figures for the last repetition, by statement kind (PostgreSQL only)
     */
    public record Side(double millisPerJob, double jobsPerSecond, StatementCounter.Counts counts, int jobs,
            Map<String, ServerStatements.Kind> server) {
        /** Copies the server's figures. */
        public Side {
            server = Map.copyOf(server);
        }

        /** @return statement executions per job */
        public double statementsPerJob() {
            return counts.statements() / (double) jobs;
        }

        /** @return explicit commits per job */
        public double commitsPerJob() {
            return counts.commits() / (double) jobs;
        }

        /** @return connections borrowed per job */
        public double connectionsPerJob() {
            return counts.connections() / (double) jobs;
        }

        /** @return milliseconds per job spent executing statements and commits */
        public double sqlMillisPerJob() {
            return counts.statementNanos() / 1e6 / jobs;
        }
    }

    /**
     * One measured repetition: both sides, one after the other, in the order {@code engineFirst} says.
     *
     * @param engineFirst whether the engine ran before the floor in this repetition
     * @param engineMillis engine wall time per job
     * @param floorMillis floor wall time per job
     * @param engineStatements engine statements per job
     * @param floorStatements floor statements per job
     * @param engineSqlMillis engine time inside statements and commits per job (client side)
     * @param floorSqlMillis floor time inside statements and commits per job (client side)
     * @param engineServerMillis engine server time per job (planning + executing), NaN without server statistics
     * @param floorServerMillis floor server time per job (planning + executing), NaN without server statistics
     */
    public record Run(boolean engineFirst, double engineMillis, double floorMillis, double engineStatements,
            double floorStatements, double engineSqlMillis, double floorSqlMillis, double engineServerMillis,
            double floorServerMillis) {
    }

    /**
     * @param database the database's description
     * @param engine the engine's figures
     * @param floor the floor's figures
     * @param runs every measured repetition, in order (the order of the sides alternates)
     */
    public record Result(String database, Side engine, Side floor, List<Run> runs) {
        /** Copies the runs. */
        public Result {
            runs = List.copyOf(runs);
        }

        /** @return the per-run ratios of wall time per job, engine / floor */
        public Stats wallRatio() {
            return Stats.ofRatios(each(Run::engineMillis), each(Run::floorMillis));
        }

        /** @return the per-run ratios of time inside statements and commits, engine / floor */
        public Stats sqlTimeRatio() {
            return Stats.ofRatios(each(Run::engineSqlMillis), each(Run::floorSqlMillis));
        }

        /** @return the per-run ratios of server time (planning + executing), engine / floor; NaN without them */
        public Stats serverRatio() {
            return Stats.ofRatios(each(Run::engineServerMillis), each(Run::floorServerMillis));
        }

        /** @return whether each side sent the same number of statements in every run (a count, not a timing) */
        public boolean statementsEqualInEveryRun() {
            return each(Run::engineStatements).stream().distinct().count() == 1
                    && each(Run::floorStatements).stream().distinct().count() == 1;
        }

        private List<Double> each(java.util.function.ToDoubleFunction<Run> figure) {
            return runs.stream().map(r -> figure.applyAsDouble(r)).toList();
        }
    }

    private final Databases databases;

    /** @param databases where the databases come from */
    public ThroughputBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param databaseName {@code postgresql} or {@code h2}
     * @param settings the sizes
     * @param report where the figures go
     * @return the figures
     */
    public Result run(String databaseName, Settings settings, Report report) {
        try (BenchDatabase db = databases.open(databaseName)) {
            StatementCounter engineSql = new StatementCounter(db.dataSource());
            StatementCounter floorSql = new StatementCounter(db.dataSource());
            MutableClock clock = MutableClock.atFixedStart();
            ManualScheduler scheduler = new ManualScheduler();
            Completions completions = new Completions();
            TenantProvisioner engine = TenantProvisioner.builder()
                    .repository(new ClockedJobRepository(new JdbcJobRepository(engineSql, db.dialect()), clock))
                    .tenantDirectory(JdbcTenantDirectory.builder(engineSql).build())
                    .runner(new ScriptedAutomationRunner(clock).defaultScript(Script.succeedAfter(0)))
                    .scheduler(scheduler).clock(clock).nodeId("bench-throughput")
                    .pollInterval(POLL).jobTimeout(TIMEOUT)
                    .listener(completions)
                    .build();
            FloorLifecycle floor = new FloorLifecycle(floorSql, db.dialect(),
                    new ScriptedAutomationRunner(clock).defaultScript(Script.succeedAfter(0)), clock, TIMEOUT);
            engine.start();
            try {
                runEngine(engine, scheduler, clock, completions, db.addTenants("warm-e-", settings.warmupJobs()));
                runFloor(floor, db.addTenants("warm-f-", settings.warmupJobs()));
                List<Double> engineMillis = new ArrayList<>();
                List<Double> floorMillis = new ArrayList<>();
                List<Run> runs = new ArrayList<>();
                Measured engineLast = null;
                Measured floorLast = null;
                ServerStatements server = db.serverStatements();
                for (int r = 0; r < settings.repetitions(); r++) {
                    List<String> engineTenants = db.addTenants("r" + r + "-e-", settings.jobs());
                    List<String> floorTenants = db.addTenants("r" + r + "-f-", settings.jobs());
                    boolean engineFirst = r % 2 == 0;
                    Measured e;
                    Measured f;
                    if (engineFirst) {
                        e = measure(engineSql, server, () -> runEngine(engine, scheduler, clock, completions,
                                engineTenants));
                        f = measure(floorSql, server, () -> runFloor(floor, floorTenants));
                    } else {
                        f = measure(floorSql, server, () -> runFloor(floor, floorTenants));
                        e = measure(engineSql, server, () -> runEngine(engine, scheduler, clock, completions,
                                engineTenants));
                    }
                    engineMillis.add(e.millisPerJob());
                    floorMillis.add(f.millisPerJob());
                    runs.add(new Run(engineFirst, e.millisPerJob(), f.millisPerJob(),
                            e.counts().statements() / (double) settings.jobs(),
                            f.counts().statements() / (double) settings.jobs(),
                            e.counts().statementNanos() / 1e6 / settings.jobs(),
                            f.counts().statementNanos() / 1e6 / settings.jobs(),
                            serverMillis(e.server(), settings.jobs()), serverMillis(f.server(), settings.jobs())));
                    engineLast = e;
                    floorLast = f;
                }
                check(db, settings);
                Measured e = Objects.requireNonNull(engineLast, "one repetition or more");
                Measured f = Objects.requireNonNull(floorLast, "one repetition or more");
                Result result = new Result(db.description(),
                        side(engineMillis, e.counts(), settings.jobs(), e.server()),
                        side(floorMillis, f.counts(), settings.jobs(), f.server()), runs);
                write(result, settings, report);
                return result;
            } finally {
                engine.close();
            }
        }
    }

    /** One side's repetition: wall time per job, its statements, and the server's figures (empty without them). */
    private record Measured(double millisPerJob, StatementCounter.Counts counts,
            Map<String, ServerStatements.Kind> server) {
    }

    private static Measured measure(StatementCounter sql, @Nullable ServerStatements server,
            java.util.function.DoubleSupplier side) {
        sql.reset();
        resetServer(server);
        double millis = side.getAsDouble();
        return new Measured(millis, sql.counts(), server == null ? Map.of() : server.byKind());
    }

    private static double serverMillis(Map<String, ServerStatements.Kind> server, int jobs) {
        if (server.isEmpty()) {
            return Double.NaN;
        }
        return server.values().stream().mapToDouble(k -> k.planMillis() + k.execMillis()).sum() / jobs;
    }

    /** @return wall milliseconds per job */
    private static double runEngine(TenantProvisioner engine, ManualScheduler scheduler, MutableClock clock,
            Completions completions, List<String> tenants) {
        completions.reset();
        long start = System.nanoTime();
        for (String tenant : tenants) {
            engine.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED));
            scheduler.runPending();
        }
        for (int round = 0; completions.completed() < tenants.size(); round++) {
            if (round > 100) {
                throw new IllegalStateException("engine: only " + completions.completed() + " of " + tenants.size()
                        + " jobs finished after 100 sweeps");
            }
            clock.advance(POLL);
            engine.sweepNow();
            scheduler.runPending();
        }
        long elapsed = System.nanoTime() - start;
        if (completions.completed(JobStatus.SUCCEEDED) != tenants.size()) {
            throw new IllegalStateException("engine: not every job succeeded");
        }
        return elapsed / 1e6 / tenants.size();
    }

    private static double runFloor(FloorLifecycle floor, List<String> tenants) {
        long start = System.nanoTime();
        for (String tenant : tenants) {
            floor.provision(tenant);
        }
        return (System.nanoTime() - start) / 1e6 / tenants.size();
    }

    private static void check(BenchDatabase db, Settings settings) {
        long expected = 2L * (settings.warmupJobs() + (long) settings.jobs() * settings.repetitions());
        long succeeded = db.count("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'succeeded'");
        long provisioned = db.count("SELECT COUNT(*) FROM tenants WHERE status = 'provisioned'");
        if (succeeded != expected || provisioned != expected) {
            throw new IllegalStateException("expected " + expected + " succeeded jobs and provisioned tenants, found "
                    + succeeded + " and " + provisioned);
        }
    }

    private static void resetServer(@Nullable ServerStatements server) {
        if (server != null) {
            server.reset();
        }
    }

    private static Side side(List<Double> millis, StatementCounter.Counts counts, int jobs,
            Map<String, ServerStatements.Kind> server) {
        double median = Stats.of(millis).median();
        return new Side(median, 1000.0 / median, counts, jobs, server);
    }

    private static void write(Result r, Settings s, Report report) {
        report.heading(3, "Engine throughput against the JDBC floor: " + r.database());
        report.line("%d jobs per repetition, %d repetitions per side after a warm-up of %d jobs per side, in one JVM; "
                + "the order of the sides alternates (engine first in repetitions 1, 3, ...; floor first in 2, 4, "
                + "...). Times per side are medians over the repetitions; each ratio is the median of the per-run "
                + "ratios with their spread (min–max) and the number of runs. Statement counts are counts (the "
                + "breakdown by kind is the last repetition's).", s.jobs(), s.repetitions(), s.warmupJobs());
        report.line("");
        Side e = r.engine();
        Side f = r.floor();
        List<Double> eSql = r.runs().stream().map(Run::engineSqlMillis).toList();
        List<Double> fSql = r.runs().stream().map(Run::floorSqlMillis).toList();
        report.table(List.of("per job", "engine", "floor", "engine / floor: median of per-run ratios (min–max, runs)"),
                List.of(
                List.of("wall time (ms)", Report.num(e.millisPerJob(), 3), Report.num(f.millisPerJob(), 3),
                        "**" + r.wallRatio().medianAndSpread(2) + "**"),
                List.of("jobs per second", Report.num(e.jobsPerSecond(), 0), Report.num(f.jobsPerSecond(), 0),
                        "(inverse of the wall-time ratio)"),
                List.of("SQL statements", Report.num(e.statementsPerJob(), 2), Report.num(f.statementsPerJob(), 2),
                        statementsRatio(r)),
                List.of("time inside statements and commits (ms)", Report.num(Stats.of(eSql).median(), 3),
                        Report.num(Stats.of(fSql).median(), 3), r.sqlTimeRatio().medianAndSpread(2)),
                List.of("explicit commits", Report.num(e.commitsPerJob(), 2), Report.num(f.commitsPerJob(), 2), ""),
                List.of("connections borrowed", Report.num(e.connectionsPerJob(), 2),
                        Report.num(f.connectionsPerJob(), 2), "")));
        writeRuns(r, report);
        Set<String> kinds = new TreeSet<>(e.counts().executions().keySet());
        kinds.addAll(f.counts().executions().keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String kind : kinds) {
            rows.add(List.of(kind, perJob(e, kind), micros(e, kind), perJob(f, kind), micros(f, kind)));
        }
        if (e.counts().commits() + f.counts().commits() > 0) {
            rows.add(List.of("(explicit commit)", Report.num(e.commitsPerJob(), 2), commitMicros(e),
                    Report.num(f.commitsPerJob(), 2), commitMicros(f)));
        }
        report.table(List.of("statement kind", "engine per job", "engine µs each", "floor per job", "floor µs each"),
                rows);
        if (!e.server().isEmpty() || !f.server().isEmpty()) {
            writeServer(r, report);
        }
    }

    private static String statementsRatio(Result r) {
        Run last = r.runs().get(r.runs().size() - 1);
        String ratio = Report.num(last.engineStatements() / last.floorStatements(), 2);
        if (r.statementsEqualInEveryRun()) {
            return ratio + " (a count: equal in all " + r.runs().size() + " runs)";
        }
        return Stats.ofRatios(r.runs().stream().map(Run::engineStatements).toList(),
                r.runs().stream().map(Run::floorStatements).toList()).medianAndSpread(2)
                + " (counts differ between runs)";
    }

    /** Every repetition, in order, so that the spread can be read. */
    private static void writeRuns(Result r, Report report) {
        List<List<String>> rows = new ArrayList<>();
        int n = 1;
        for (Run run : r.runs()) {
            rows.add(List.of(String.valueOf(n++), run.engineFirst() ? "engine, floor" : "floor, engine",
                    Report.num(run.engineMillis(), 3), Report.num(run.floorMillis(), 3),
                    Report.num(run.engineMillis() / run.floorMillis(), 2), Report.num(run.engineStatements(), 2),
                    Report.num(run.floorStatements(), 2), Report.num(run.engineServerMillis(), 3),
                    Report.num(run.floorServerMillis(), 3),
                    Report.num(run.engineServerMillis() / run.floorServerMillis(), 2)));
        }
        report.table(List.of("run", "order", "engine ms/job", "floor ms/job", "wall ratio", "engine statements/job",
                "floor statements/job", "engine server ms/job", "floor server ms/job", "server ratio"), rows);
    }

    /** The server's own view (pg_stat_statements): planning and execution time, and how often each kind is planned. */
    private static void writeServer(Result r, Report report) {
        Side e = r.engine();
        Side f = r.floor();
        report.line("The database server's own account (pg_stat_statements with planning tracked, reset before each "
                + "side of each run; no network, driver or client scheduling in it). Per-side times and the "
                + "breakdown are the last repetition's; the ratio is over all runs:");
        report.line("");
        report.table(List.of("per job", "engine", "floor", "engine / floor: median of per-run ratios (min–max, runs)"),
                List.of(
                List.of("server time planning + executing (ms)", Report.num(serverMillis(e), 3),
                        Report.num(serverMillis(f), 3), "**" + r.serverRatio().medianAndSpread(2) + "**"),
                List.of("of which planning (ms)", Report.num(planMillis(e), 3), Report.num(planMillis(f), 3), "")));
        Set<String> kinds = new TreeSet<>(e.server().keySet());
        kinds.addAll(f.server().keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String kind : kinds) {
            rows.add(List.of(kind, serverKind(e, kind), serverKind(f, kind)));
        }
        report.table(List.of("statement kind", "engine: plans per call, µs planning + µs executing per call",
                "floor: plans per call, µs planning + µs executing per call"), rows);
    }

    private static double serverMillis(Side side) {
        return side.server().values().stream().mapToDouble(k -> k.planMillis() + k.execMillis()).sum() / side.jobs();
    }

    private static double planMillis(Side side) {
        return side.server().values().stream().mapToDouble(ServerStatements.Kind::planMillis).sum() / side.jobs();
    }

    private static String serverKind(Side side, String kind) {
        ServerStatements.Kind k = side.server().get(kind);
        if (k == null || k.calls() == 0) {
            return "";
        }
        return Report.num(k.plans() / (double) k.calls(), 3) + ", " + Report.num(k.planMillis() * 1e3 / k.calls(), 0)
                + " + " + Report.num(k.execMillis() * 1e3 / k.calls(), 0);
    }

    private static String perJob(Side side, String kind) {
        Long n = side.counts().executions().get(kind);
        return n == null ? "" : Report.num(n / (double) side.jobs(), 2);
    }

    private static String commitMicros(Side side) {
        long n = side.counts().commits();
        return n == 0 ? "" : Report.num(side.counts().commitNanos() / 1e3 / n, 0);
    }

    private static String micros(Side side, String kind) {
        Long n = side.counts().executions().get(kind);
        Long t = side.counts().nanos().get(kind);
        return n == null || t == null || n == 0 ? "" : Report.num(t / 1e3 / n, 0);
    }
}
