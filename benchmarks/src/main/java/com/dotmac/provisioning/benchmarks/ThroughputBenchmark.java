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
 * pool; after a warm-up of both, the repetitions alternate engine and floor, and the medians are compared.
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
     * @param database the database's description
     * @param engine the engine's figures
     * @param floor the floor's figures
     */
    public record Result(String database, Side engine, Side floor) {
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
                StatementCounter.Counts engineCounts = null;
                StatementCounter.Counts floorCounts = null;
                Map<String, ServerStatements.Kind> engineServer = Map.of();
                Map<String, ServerStatements.Kind> floorServer = Map.of();
                ServerStatements server = db.serverStatements();
                for (int r = 0; r < settings.repetitions(); r++) {
                    List<String> engineTenants = db.addTenants("r" + r + "-e-", settings.jobs());
                    List<String> floorTenants = db.addTenants("r" + r + "-f-", settings.jobs());
                    engineSql.reset();
                    resetServer(server);
                    engineMillis.add(runEngine(engine, scheduler, clock, completions, engineTenants));
                    engineCounts = engineSql.counts();
                    engineServer = server == null ? Map.of() : server.byKind();
                    floorSql.reset();
                    resetServer(server);
                    floorMillis.add(runFloor(floor, floorTenants));
                    floorCounts = floorSql.counts();
                    floorServer = server == null ? Map.of() : server.byKind();
                }
                check(db, settings);
                Result result = new Result(db.description(),
                        side(engineMillis, Objects.requireNonNull(engineCounts, "one repetition or more"),
                                settings.jobs(), engineServer),
                        side(floorMillis, Objects.requireNonNull(floorCounts, "one repetition or more"),
                                settings.jobs(), floorServer));
                write(result, settings, report);
                return result;
            } finally {
                engine.close();
            }
        }
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
        report.line("%d jobs per repetition, %d repetitions per side after a warm-up of %d jobs per side; medians. "
                + "Statements are those of the last repetition.", s.jobs(), s.repetitions(), s.warmupJobs());
        report.line("");
        Side e = r.engine();
        Side f = r.floor();
        report.table(List.of("per job", "engine", "floor", "engine / floor"), List.of(
                List.of("wall time (ms)", Report.num(e.millisPerJob(), 3), Report.num(f.millisPerJob(), 3),
                        Report.num(e.millisPerJob() / f.millisPerJob(), 2)),
                List.of("jobs per second", Report.num(e.jobsPerSecond(), 0), Report.num(f.jobsPerSecond(), 0),
                        Report.num(e.jobsPerSecond() / f.jobsPerSecond(), 2)),
                List.of("SQL statements", Report.num(e.statementsPerJob(), 2), Report.num(f.statementsPerJob(), 2),
                        Report.num(e.statementsPerJob() / f.statementsPerJob(), 2)),
                List.of("time inside statements and commits (ms)", Report.num(e.sqlMillisPerJob(), 3),
                        Report.num(f.sqlMillisPerJob(), 3), Report.num(e.sqlMillisPerJob() / f.sqlMillisPerJob(), 2)),
                List.of("explicit commits", Report.num(e.commitsPerJob(), 2), Report.num(f.commitsPerJob(), 2), ""),
                List.of("connections borrowed", Report.num(e.connectionsPerJob(), 2),
                        Report.num(f.connectionsPerJob(), 2), "")));
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
            writeServer(e, f, report);
        }
    }

    /** The server's own view (pg_stat_statements): planning and execution time, and how often each kind is planned. */
    private static void writeServer(Side e, Side f, Report report) {
        report.line("The database server's own account of the last repetition (pg_stat_statements with planning "
                + "tracked; no network, driver or client scheduling in it):");
        report.line("");
        report.table(List.of("per job", "engine", "floor", "engine / floor"), List.of(
                List.of("server time planning + executing (ms)", Report.num(serverMillis(e), 3),
                        Report.num(serverMillis(f), 3), Report.num(serverMillis(e) / serverMillis(f), 2)),
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
