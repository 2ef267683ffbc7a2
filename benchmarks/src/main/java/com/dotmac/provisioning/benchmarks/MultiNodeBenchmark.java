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
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One, two and three nodes on one database: separate {@link TenantProvisioner}s, each with its own connection pool,
 * repository, tenant directory and default scheduler (real threads, real clock), sharing one scripted "AWX" (a
 * {@link ScriptedAutomationRunner}: the first poll reports running, the second success, so most jobs finish in a
 * sweep of whichever node claims them). Client threads spread the requests round-robin over the nodes; the
 * throughput is jobs from the first request to the last tenant provisioned, with the CPU time of the JVM and of
 * PostgreSQL meanwhile ({@link CpuMeter}). Every job must be launched exactly once. {@link LatencyNodesBenchmark} is
 * the same with a slow runner and a slow network, where the cost is latency instead of CPU.
 */
public final class MultiNodeBenchmark {
    private static final int POOL_SIZE = 4;
    private static final int CLIENT_THREADS = 4;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration SWEEP = Duration.ofMillis(100);

    /**
     * @param database {@code postgresql} or {@code h2}
     * @param nodeCounts how many nodes, per measurement
     * @param jobs jobs per measurement
     */
    public record Settings(String database, List<Integer> nodeCounts, int jobs) {
    }

    private record Result(int nodes, double seconds, double statementsPerJob, long launches, CpuMeter.Reading cpu) {
    }

    private final Databases databases;

    /** @param databases where the databases come from */
    public MultiNodeBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param s the sizes
     * @param report where the figures go
     */
    public void run(Settings s, Report report) {
        List<Result> results = new ArrayList<>();
        String description = "";
        for (int nodes : s.nodeCounts()) {
            try (BenchDatabase db = databases.open(s.database())) {
                description = db.description();
                results.add(runOne(db, nodes, s.jobs()));
            }
        }
        report.heading(3, "Nodes on one database: throughput");
        report.line("%s; %,d jobs per measurement, %d client threads spreading requests over the nodes; each node: "
                + "own HikariCP pool (%d connections), default ExecutorScheduler, poll interval %d ms, sweep interval "
                + "%d ms; a shared scripted runner (running at the first poll, success at the second).", description,
                s.jobs(), CLIENT_THREADS, POOL_SIZE, POLL.toMillis(), SWEEP.toMillis());
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        double base = results.isEmpty() ? 1 : results.get(0).seconds();
        for (Result r : results) {
            rows.add(List.of(String.valueOf(r.nodes()), Report.num(r.seconds(), 1),
                    Report.num(s.jobs() / r.seconds(), 0), Report.num(base / r.seconds(), 2),
                    Report.num(r.statementsPerJob(), 2), Report.num(1000 * r.cpu().jvmSeconds() / s.jobs(), 2) + " / "
                            + Report.num(1000 * r.cpu().postgresSeconds() / s.jobs(), 2),
                    Report.num((r.cpu().jvmSeconds() + r.cpu().postgresSeconds()) / r.seconds(), 2),
                    r.launches() + " for " + s.jobs() + " jobs"));
        }
        report.table(List.of("nodes", "wall s", "jobs/s", "speed-up over one node", "SQL statements per job",
                "CPU ms per job: JVM / PostgreSQL", "cores busy (JVM + PostgreSQL)", "runs launched"), rows);
        report.line("One run per node count (real time, real threads: the jobs/s of a single run, not a median; on "
                + "this shared machine they move from run to run). The statements per job are counts.");
    }

    static void awaitCompletions(Completions completions, int jobs, int nodeCount) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (completions.completed() < jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(nodeCount + " nodes: only " + completions.completed() + " of " + jobs
                        + " jobs finished in 5 minutes");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static Result runOne(BenchDatabase db, int nodeCount, int jobs) {
        List<String> tenants = db.addTenants("n" + nodeCount + "-", jobs);
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC())
                .defaultScript(Script.succeedAfter(1));
        Completions completions = new Completions();
        List<StatementCounter> counters = new ArrayList<>();
        List<TenantProvisioner> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            StatementCounter sql = new StatementCounter(db.newPool(POOL_SIZE));
            counters.add(sql);
            nodes.add(TenantProvisioner.builder().repository(new JdbcJobRepository(sql, db.dialect()))
                    .tenantDirectory(JdbcTenantDirectory.builder(sql).build()).runner(runner)
                    .nodeId("node-" + i).pollInterval(POLL).sweepInterval(SWEEP).listener(completions).build());
        }
        CpuMeter meter = CpuMeter.of(db.serverStatements() == null ? null : db.dataSource());
        nodes.forEach(TenantProvisioner::start);
        CpuMeter.Reading cpuBefore = meter.read();
        long start = System.nanoTime();
        Parallel.forEach(CLIENT_THREADS, jobs, i -> nodes.get(i % nodeCount).request(
                ProvisioningRequest.provision(tenants.get(i), DeploymentMode.DOTMAC_HOSTED)));
        awaitCompletions(completions, jobs, nodeCount);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Reading cpu = meter.read().minus(cpuBefore);
        nodes.forEach(TenantProvisioner::close);
        if (completions.completed(JobStatus.SUCCEEDED) != jobs) {
            throw new IllegalStateException(nodeCount + " nodes: not every job succeeded");
        }
        List<LaunchSpec> launches = runner.launches();
        Set<String> launchedJobs = launches.stream().map(LaunchSpec::correlationId).collect(Collectors.toSet());
        if (launches.size() != jobs || launchedJobs.size() != jobs) {
            throw new IllegalStateException(nodeCount + " nodes: " + launches.size() + " launches for "
                    + launchedJobs.size() + " jobs; every job must be launched exactly once");
        }
        long statements = counters.stream().mapToLong(c -> c.counts().statements()).sum();
        return new Result(nodeCount, seconds, statements / (double) jobs, launches.size(), cpu);
    }
}
