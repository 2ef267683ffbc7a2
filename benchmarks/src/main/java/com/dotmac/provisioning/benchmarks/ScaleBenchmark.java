package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.benchmarks.support.AwxRequestCounter;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.JvmState;
import com.dotmac.provisioning.benchmarks.support.Parallel;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.benchmarks.support.TimedRepository;
import com.dotmac.provisioning.benchmarks.support.TimedRunner;
import com.dotmac.provisioning.benchmarks.support.Timings;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node with {@code jobs} runs in flight (default 10,000) on a real database and the AWX runner against a fake
 * AWX whose jobs never end: how long the requests and launches take, the heap used (after a full collection; the
 * fake AWX lives in the same JVM and is counted apart), the threads, and the time of one sweep with every run due
 * (claims, batch polls, reschedules; {@code sweepNow()} on this thread), split into database and AWX time.
 */
public final class ScaleBenchmark {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final int REQUEST_CHUNK = 100;
    private static final int SETUP_THREADS = 4;
    private static final String ENGINE_PACKAGE = "com.dotmac.provisioning.";
    private static final String FAKE_PACKAGE = "com.dotmac.provisioning.awx.fake.";

    /**
     * @param database {@code postgresql} or {@code h2}
     * @param jobs runs in flight
     * @param sweeps sweeps to time
     */
    public record Settings(String database, int jobs, int sweeps) {
    }

    private final Databases databases;

    /** @param databases where the database comes from */
    public ScaleBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param s the sizes
     * @param report where the figures go
     */
    public void run(Settings s, Report report) {
        report.heading(3, "Scale: " + s.jobs() + " runs in flight on one node");
        MutableClock clock = MutableClock.atFixedStart();
        Timings timings = new Timings();
        AwxRequestCounter awxRequests = new AwxRequestCounter();
        try (BenchDatabase db = databases.open(s.database()); FakeAwx fake = new FakeAwx()) {
            fake.clock(clock).defaultScript(RunScript.hang());
            fake.start();
            List<String> tenants = db.addTenants("s-", s.jobs());
            StatementCounter sql = new StatementCounter(db.dataSource());
            JobRepository repository = new ClockedJobRepository(
                    new TimedRepository(new JdbcJobRepository(sql, db.dialect()), timings), clock);
            JdbcTenantDirectory directory = JdbcTenantDirectory.builder(sql).build();
            try (AwxAutomationRunner awx = new AwxAutomationRunner(fake.configBuilder().requestListener(awxRequests)
                    .build(), AwxAutomationRunner.Sleeper.THREAD_SLEEP, clock)) {
                TimedRunner runner = new TimedRunner(awx, timings);
                ManualScheduler scheduler = new ManualScheduler();
                TenantProvisioner engine = TenantProvisioner.builder().repository(repository).runner(runner)
                        .tenantDirectory(directory).scheduler(scheduler).clock(clock).nodeId("bench-scale")
                        .pollInterval(POLL).build();
                engine.start();
                long heapBefore = JvmState.heapUsedAfterGc();
                Map<String, Integer> threadsBefore = JvmState.threadsByGroup();
                report.line("Database %s; fake AWX (jobs never end); the engine stepped on this thread (manual "
                        + "scheduler, movable clock) except where the default scheduler is named.", db.description());
                report.line("");

                long start = System.nanoTime();
                requestAll(engine, scheduler, tenants);
                double launchSeconds = (System.nanoTime() - start) / 1e9;
                long inFlight = db.count("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'in_progress'");
                if (inFlight != s.jobs()) {
                    throw new IllegalStateException("expected " + s.jobs() + " runs in flight, found " + inFlight);
                }
                report.line("- requesting and launching %,d jobs (%d threads): %.1f s (%.0f jobs/s), %.2f SQL "
                        + "statements and %.2f AWX requests per job", s.jobs(), SETUP_THREADS, launchSeconds, s.jobs() / launchSeconds,
                        sql.counts().statements() / (double) s.jobs(), awxRequests.total() / (double) s.jobs());

                Map<String, JvmState.ClassUse> histogram = JvmState.histogram();
                long heapWith = JvmState.heapUsedAfterGc();
                JvmState.ClassUse engineObjects = JvmState.sum(histogram,
                        n -> n.startsWith(ENGINE_PACKAGE) && !n.startsWith(FAKE_PACKAGE) && !n.contains(".benchmarks."));
                JvmState.ClassUse fakeObjects = JvmState.sum(histogram, n -> n.startsWith(FAKE_PACKAGE));
                JvmState.ClassUse storedJobs = JvmState.sum(histogram,
                        n -> n.equals("com.dotmac.provisioning.spi.StoredJob"));
                report.line("- heap used after a full collection: %.1f MiB before the jobs, %.1f MiB with %,d runs in "
                        + "flight (+%.1f MiB, which includes the fake AWX's own state: %,d objects of its classes, "
                        + "%.1f MiB shallow, plus their strings and maps)", mib(heapBefore), mib(heapWith), s.jobs(),
                        mib(heapWith - heapBefore), fakeObjects.instances(), mib(fakeObjects.bytes()));
                report.line("- objects of the engine's classes live between sweeps: %,d (%.1f KiB shallow); "
                        + "StoredJob instances: %,d. With a JDBC repository the engine keeps no per-job state in "
                        + "memory.", engineObjects.instances(), engineObjects.bytes() / 1024.0,
                        storedJobs.instances());

                List<Double> sweepMillis = new ArrayList<>();
                List<String> sweepRows = new ArrayList<>();
                for (int k = 0; k < s.sweeps(); k++) {
                    clock.advance(POLL);
                    sql.reset();
                    awxRequests.reset();
                    timings.reset();
                    long allocatedBefore = JvmState.allocatedByThisThread();
                    long t0 = System.nanoTime();
                    int claimed = engine.sweepNow();
                    double millis = (System.nanoTime() - t0) / 1e6;
                    long allocated = JvmState.allocatedByThisThread() - allocatedBefore;
                    scheduler.runPending();
                    sweepMillis.add(millis);
                    Map<String, Double> t = timings.millis();
                    sweepRows.add(String.format(java.util.Locale.ROOT, "| %d | %,d | %,.0f | %,d | %,d | %,.0f | %,.0f "
                            + "| %,.0f | %,.0f | %.1f |", k + 1, claimed, millis, sql.counts().statements(),
                            awxRequests.total(), t.getOrDefault("repository.claimDue", 0.0),
                            t.getOrDefault("runner.poll", 0.0), t.getOrDefault("repository.reschedule", 0.0),
                            millis - t.getOrDefault("repository.claimDue", 0.0) - t.getOrDefault("runner.poll", 0.0)
                                    - t.getOrDefault("repository.reschedule", 0.0), allocated / 1048576.0));
                    if (claimed != s.jobs()) {
                        report.line("- sweep %d claimed %,d of %,d due jobs", k + 1, claimed, s.jobs());
                    }
                }
                report.line("");
                report.line("| sweep | jobs claimed | wall ms | SQL statements | AWX requests | claim ms | AWX poll ms "
                        + "| reschedule ms | rest ms | MiB allocated |");
                report.line("|---|---|---|---|---|---|---|---|---|---|");
                sweepRows.forEach(report::line);
                Stats stats = Stats.of(sweepMillis);
                report.line("");
                report.line("- one sweep with all %,d runs due: median %.0f ms (min %.0f, max %.0f; %d sweeps in one "
                        + "run)", s.jobs(), stats.median(), stats.min(), stats.max(), stats.count());
                report.line("- one run of this benchmark: the launch rate and heap are single measurements; the "
                        + "statements and AWX requests are counts");
                engine.close();
                threads(s, report, repository, runner, directory, clock, timings, threadsBefore);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake AWX", e);
        }
    }

    /** Threads of an engine on the default scheduler, sweeping the same runs until it has polled them all. */
    private static void threads(Settings s, Report report, JobRepository repository, TimedRunner runner,
            JdbcTenantDirectory directory, MutableClock clock, Timings timings, Map<String, Integer> before) {
        TenantProvisioner engine = TenantProvisioner.builder().repository(repository).runner(runner)
                .tenantDirectory(directory).clock(clock).nodeId("bench-scale-threads").pollInterval(POLL)
                .sweepInterval(Duration.ofMillis(500)).build();
        clock.advance(POLL);
        timings.reset();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        engine.start();
        try {
            while (timings.items().getOrDefault("runner.poll", 0L) < s.jobs() && System.nanoTime() < deadline) {
                sleep(100);
            }
            Map<String, Integer> during = JvmState.threadsByGroup();
            report.line("- live threads: %d before the jobs (manual scheduler); %d while the default scheduler "
                    + "(ExecutorScheduler) sweeps the %,d runs: %s", total(before), total(during), s.jobs(), during);
            report.line("  (MockWebServer threads belong to the fake AWX; the engine's own are the scheduler's "
                    + "'provisioning-#-#' pool, OkHttp's and HikariCP's: none per job)");
        } finally {
            engine.close();
        }
    }

    /** Requests every tenant's provisioning and works off the immediate processing, on a few threads. */
    private static void requestAll(TenantProvisioner engine, ManualScheduler scheduler, List<String> tenants) {
        Parallel.forEach(SETUP_THREADS, tenants.size(), i -> {
            engine.request(ProvisioningRequest.provision(tenants.get(i), DeploymentMode.DOTMAC_HOSTED));
            if (i % REQUEST_CHUNK < SETUP_THREADS) {
                scheduler.runPending();
            }
        });
        scheduler.runPending();
    }

    private static int total(Map<String, Integer> groups) {
        return groups.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
