package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.CpuMeter;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.LatencyProxy;
import com.dotmac.provisioning.benchmarks.support.Parallel;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.SlowRunner;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.TimedScheduler;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Nodes whose cost is latency, not CPU (issue 19, goal 4): as {@link MultiNodeBenchmark} (separate
 * {@link TenantProvisioner}s on one PostgreSQL, each with its own pool, repository, tenant directory and
 * {@link ExecutorScheduler}, real clock), but every runner call (launch, poll, cancel) is answered after a fixed
 * delay by a sleeping {@link SlowRunner} around one shared {@link ScriptedAutomationRunner} (running at the first
 * poll, success at the second), and every node reaches PostgreSQL through a {@link LatencyProxy} that holds each
 * chunk for a fixed delay in each direction. Client threads (a fixed number per node) send the requests to their
 * node as fast as the node accepts them. Reports jobs/s per node count and its ratio to one node, statements per job,
 * runner calls per job, the runner calls in flight per node (what bounds a node), and the CPU split between the JVM
 * and PostgreSQL. Every job must be launched exactly once and every tenant provisioned; the run fails otherwise.
 * Stateless between runs; one {@link #run} at a time per instance is intended (its measurements share the machine).
 */
public final class LatencyNodesBenchmark {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration SWEEP = Duration.ofMillis(100);

    /**
     * One node's make-up.
     *
     * @param schedulerThreads threads of its {@link ExecutorScheduler} (the default is 4)
     * @param poolSize connections of its pool
     */
    public record Shape(int schedulerThreads, int poolSize) {
        /**
         * @param text e.g. {@code 4x4} (scheduler threads x pool connections)
         * @return the shape
         * @throws IllegalArgumentException for another form
         */
        public static Shape parse(String text) {
            String[] parts = text.strip().split("x");
            try {
                if (parts.length == 2) {
                    return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new IllegalArgumentException("a node shape is <scheduler threads>x<pool connections>, e.g. 4x4, "
                    + "not '" + text + "'");
        }

        @Override
        public String toString() {
            return schedulerThreads + "x" + poolSize;
        }
    }

    /**
     * @param nodeCounts how many nodes, per measurement
     * @param jobs jobs per measurement
     * @param runnerDelay how long every runner call takes
     * @param databaseDelay the proxy's hold of each chunk in each direction
     * @param clientsPerNode request threads per node
     * @param shapes node make-ups; every node count is measured with each
     * @param warmup jobs of one node of the first shape run first and not reported (the JIT's compilation would
     *     otherwise be charged to the first measurement); 0 for none
     */
    public record Settings(List<Integer> nodeCounts, int jobs, Duration runnerDelay, Duration databaseDelay,
            int clientsPerNode, List<Shape> shapes, int warmup) {
    }

    /**
     * One measurement.
     *
     * @param shape the nodes' make-up
     * @param nodes how many nodes
     * @param seconds from the first request to the last tenant provisioned
     * @param requestSeconds from the first request to the last one accepted
     * @param launchSeconds from the first request to the end of the last launch call
     * @param statementsPerJob SQL statements (and commits) per job, all nodes
     * @param launches runs launched (equal to the jobs, else the run fails)
     * @param provisioned jobs that succeeded and whose tenant status was applied (equal to the jobs, else the run
     *     fails)
     * @param calls the runner calls of all nodes
     * @param meanInFlightPerNode runner calls in flight per node, averaged over the wall time
     * @param cpu CPU seconds of the JVM and of PostgreSQL during the measurement
     * @param chunksPerJob chunks relayed by the proxies per job (both directions)
     * @param heldMillisPerChunk the proxies' mean time from reading a chunk to having written it
     * @param millisPerRoundTrip the nodes' mean time per statement or commit, seen by the caller
     * @param scheduler the scheduler times of all nodes, summed
     * @param statementsByKind SQL statements per job by kind, all nodes
     */
    public record Result(Shape shape, int nodes, double seconds, double requestSeconds, double launchSeconds,
            double statementsPerJob,
            long launches, int provisioned, SlowRunner.Calls calls, double meanInFlightPerNode, CpuMeter.Reading cpu,
            double chunksPerJob, double heldMillisPerChunk, double millisPerRoundTrip, TimedScheduler.Times scheduler,
            Map<String, Double> statementsByKind) {
    }

    private final Databases databases;

    /** @param databases where the databases come from */
    public LatencyNodesBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * Runs every node count with every shape, each on a fresh PostgreSQL schema.
     *
     * @param s the sizes
     * @param report where the figures go
     * @return the measurements, in order
     * @throws IllegalStateException when a job was not launched exactly once or did not succeed
     */
    public List<Result> run(Settings s, Report report) {
        List<Result> results = new ArrayList<>();
        String description = "";
        if (s.warmup() > 0 && !s.shapes().isEmpty()) {
            try (BenchDatabase db = databases.open("postgresql")) {
                runOne(db, s.shapes().get(0), 1, s.warmup(), s);
            }
        }
        for (Shape shape : s.shapes()) {
            for (int nodes : s.nodeCounts()) {
                try (BenchDatabase db = databases.open("postgresql")) {
                    description = db.description();
                    results.add(runOne(db, shape, nodes, s.jobs(), s));
                }
            }
        }
        report(s, description, results, report);
        return results;
    }

    private static void report(Settings s, String description, List<Result> results, Report report) {
        report.heading(3, "Nodes whose cost is latency: throughput");
        report.line("%s through a latency proxy per node (each chunk held %d ms in each direction: at least %d ms "
                + "per round trip); every runner call (launch, poll, cancel) answered after %d ms by a sleeping "
                + "runner around one shared scripted runner (running at the first poll, success at the second); "
                + "%,d jobs per measurement (after %,d of one node not reported); %d client threads per node, each "
                + "sending its node's requests one after "
                + "another; poll interval %d ms, sweep interval %d ms. Node shape = scheduler threads x pool "
                + "connections (the default scheduler has 4 threads).", description, s.databaseDelay().toMillis(),
                2 * s.databaseDelay().toMillis(), s.runnerDelay().toMillis(), s.jobs(), s.warmup(),
                s.clientsPerNode(),
                POLL.toMillis(), SWEEP.toMillis());
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            double base = results.stream().filter(o -> o.shape().equals(r.shape()) && o.nodes() == 1)
                    .mapToDouble(Result::seconds).findFirst().orElse(Double.NaN);
            double cores = (r.cpu().jvmSeconds() + r.cpu().postgresSeconds()) / r.seconds();
            rows.add(List.of(r.shape().toString(), String.valueOf(r.nodes()), Report.num(r.seconds(), 1),
                    Report.num(r.requestSeconds(), 1), Report.num(r.launchSeconds(), 1),
                    Report.num(s.jobs() / r.seconds(), 0),
                    Report.num(base / r.seconds(), 2), Report.num(r.statementsPerJob(), 2),
                    Report.num(r.calls().launches() / (double) s.jobs(), 2) + " / "
                            + Report.num(r.calls().polls() / (double) s.jobs(), 2),
                    Report.num(r.meanInFlightPerNode(), 2) + " (most " + r.calls().mostInFlight() + ")",
                    Report.num(r.chunksPerJob(), 1) + " (held " + Report.num(r.heldMillisPerChunk(), 2) + " ms)",
                    Report.num(r.millisPerRoundTrip(), 2),
                    Report.num(1000 * r.cpu().jvmSeconds() / s.jobs(), 2) + " / "
                            + Report.num(1000 * r.cpu().postgresSeconds() / s.jobs(), 2),
                    Report.num(cores, 2), r.launches() + " for " + s.jobs() + " jobs"));
        }
        report.table(List.of("shape", "nodes", "wall s", "requests accepted after s", "last launch after s", "jobs/s",
                "speed-up over one node", "SQL statements per job", "runner launches / polls per job",
                "runner calls in flight per node: mean (most)", "proxy chunks per job (mean hold)",
                "ms per statement or commit (mean)", "CPU ms per job: JVM / PostgreSQL",
                "cores busy (JVM + PostgreSQL)", "runs launched"), rows);
        List<List<String>> threads = new ArrayList<>();
        for (Result r : results) {
            TimedScheduler.Times t = r.scheduler();
            double threadSeconds = r.seconds() * r.nodes() * r.shape().schedulerThreads();
            threads.add(List.of(r.shape().toString(), String.valueOf(r.nodes()),
                    Report.num(100 * (t.periodicSeconds() + t.taskSeconds()) / threadSeconds, 0) + " %",
                    Report.num(t.periodicRuns() / (r.seconds() * r.nodes()), 1) + " per s, "
                            + Report.num(1000 * t.periodicSeconds() / Math.max(1, t.periodicRuns()), 0) + " ms each",
                    Report.num(100 * t.periodicSeconds() / (r.seconds() * r.nodes()), 0) + " %",
                    Report.num(1000 * t.taskSeconds() / Math.max(1, t.tasks()), 1) + " ms",
                    Report.num(1000 * t.waitSeconds() / Math.max(1, t.tasks()), 0) + " ms"));
        }
        report.line("Where a node's scheduler threads go (per node, mean over the nodes): busy = sweeps and tasks "
                + "over threads x wall time; a task is a job driven on a scheduler thread (a launch after a request, "
                + "a job handed on by the sweep); its wait is the time from being queued to a thread taking it.");
        report.line("");
        report.table(List.of("shape", "nodes", "scheduler threads busy", "sweeps", "one thread in a sweep",
                "task mean", "task queue wait mean"), threads);
        Result last = results.get(results.size() - 1);
        report.line("SQL statements per job by kind (%s, %d nodes): %s", last.shape(), last.nodes(),
                last.statementsByKind().entrySet().stream().map(e -> e.getKey() + " " + Report.num(e.getValue(), 2))
                        .collect(Collectors.joining("; ")));
        report.line("");
        report.line("One run per row (real time, real threads). Statements, launches and polls are counts; jobs/s, "
                + "calls in flight and CPU are timings of one run on a shared machine. \"requests accepted after\" "
                + "well below the wall time means the clients were not the bottleneck.");
    }

    private static Result runOne(BenchDatabase db, Shape shape, int nodeCount, int jobs, Settings s) {
        List<String> tenants = db.addTenants("l" + nodeCount + "-", jobs);
        ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(Clock.systemUTC())
                .defaultScript(Script.succeedAfter(1));
        Completions completions = new Completions();
        List<StatementCounter> counters = new ArrayList<>();
        List<SlowRunner> runners = new ArrayList<>();
        List<LatencyProxy> proxies = new ArrayList<>();
        List<TimedScheduler> schedulers = new ArrayList<>();
        List<HikariDataSource> pools = new ArrayList<>();
        List<TenantProvisioner> nodes = new ArrayList<>();
        String[] server = db.serverAddress().split(":");
        try {
            for (int i = 0; i < nodeCount; i++) {
                LatencyProxy proxy = LatencyProxy.start(server[0], Integer.parseInt(server[1]), s.databaseDelay());
                proxies.add(proxy);
                HikariDataSource pool = db.newPoolVia(shape.poolSize(), "127.0.0.1", proxy.port());
                pools.add(pool);
                StatementCounter sql = new StatementCounter(pool);
                counters.add(sql);
                SlowRunner runner = new SlowRunner(scripted, s.runnerDelay());
                runners.add(runner);
                TimedScheduler scheduler = new TimedScheduler(new ExecutorScheduler(shape.schedulerThreads(),
                        ExecutorScheduler.DEFAULT_SHUTDOWN_TIMEOUT));
                schedulers.add(scheduler);
                nodes.add(TenantProvisioner.builder().repository(new JdbcJobRepository(sql, db.dialect()))
                        .tenantDirectory(JdbcTenantDirectory.builder(sql).build()).runner(runner)
                        .scheduler(scheduler)
                        .nodeId("node-" + i).pollInterval(POLL).sweepInterval(SWEEP).listener(completions).build());
            }
            CpuMeter meter = CpuMeter.of(db.dataSource());
            nodes.forEach(TenantProvisioner::start);
            CpuMeter.Reading cpuBefore = meter.read();
            long start = System.nanoTime();
            Parallel.forEach(s.clientsPerNode() * nodeCount, jobs, i -> nodes.get(i % nodeCount).request(
                    ProvisioningRequest.provision(tenants.get(i), DeploymentMode.DOTMAC_HOSTED)));
            double requestSeconds = (System.nanoTime() - start) / 1e9;
            MultiNodeBenchmark.awaitCompletions(completions, jobs, nodeCount);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Reading cpu = meter.read().minus(cpuBefore);
            nodes.forEach(TenantProvisioner::close);
            nodes.clear();
            if (completions.completed(JobStatus.SUCCEEDED) != jobs) {
                throw new IllegalStateException(nodeCount + " nodes: not every job succeeded");
            }
            List<LaunchSpec> launches = scripted.launches();
            Set<String> launchedJobs = launches.stream().map(LaunchSpec::correlationId).collect(Collectors.toSet());
            if (launches.size() != jobs || launchedJobs.size() != jobs) {
                throw new IllegalStateException(nodeCount + " nodes: " + launches.size() + " launches for "
                        + launchedJobs.size() + " jobs; every job must be launched exactly once");
            }
            long statements = counters.stream().mapToLong(c -> c.counts().statements()).sum();
            SlowRunner.Calls calls = runners.stream().map(SlowRunner::calls).reduce(new SlowRunner.Calls(0, 0, 0, 0,
                    0), (a, b) -> new SlowRunner.Calls(a.launches() + b.launches(), a.polls() + b.polls(),
                            a.others() + b.others(), a.busySeconds() + b.busySeconds(),
                            Math.max(a.mostInFlight(), b.mostInFlight())));
            long chunks = proxies.stream().mapToLong(LatencyProxy::chunks).sum();
            long held = proxies.stream().mapToLong(LatencyProxy::heldNanos).sum();
            long roundTrips = counters.stream().mapToLong(c -> c.counts().statements() + c.counts().commits()).sum();
            long sqlNanos = counters.stream().mapToLong(c -> c.counts().statementNanos()).sum();
            TimedScheduler.Times times = schedulers.stream().map(TimedScheduler::times).reduce(
                    new TimedScheduler.Times(0, 0, 0, 0, 0), (a, b) -> new TimedScheduler.Times(
                            a.periodicRuns() + b.periodicRuns(), a.periodicSeconds() + b.periodicSeconds(),
                            a.tasks() + b.tasks(), a.taskSeconds() + b.taskSeconds(),
                            a.waitSeconds() + b.waitSeconds()));
            Map<String, Double> byKind = new TreeMap<>();
            counters.forEach(c -> c.counts().executions().forEach((kind, n) -> byKind.merge(kind,
                    n / (double) jobs, Double::sum)));
            long lastLaunch = runners.stream().mapToLong(SlowRunner::lastLaunchEndNanos).max().orElse(start);
            return new Result(shape, nodeCount, seconds, requestSeconds, (lastLaunch - start) / 1e9,
                    statements / (double) jobs,
                    launches.size(), completions.completed(JobStatus.SUCCEEDED), calls,
                    calls.busySeconds() / seconds / nodeCount, cpu,
                    chunks / (double) jobs, held / 1e6 / chunks, sqlNanos / 1e6 / roundTrips, times, byKind);
        } finally {
            nodes.forEach(TenantProvisioner::close);
            pools.forEach(HikariDataSource::close);
            proxies.forEach(LatencyProxy::close);
        }
    }
}
