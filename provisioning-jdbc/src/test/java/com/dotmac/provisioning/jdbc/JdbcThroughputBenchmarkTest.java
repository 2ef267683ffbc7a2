package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.jdbc.support.CountingDataSource;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full-lifecycle throughput of one engine on a real database, and the SQL it costs: 2,000 provision jobs (request,
 * tenant status, launch, one poll reporting "running", one reporting success, final tenant status) with the
 * scripted runner, stepped on the test thread (manual scheduler, movable clock; no sleeps). Statements are counted
 * by a counting data source. MySQL / MariaDB runs when {@code PROVISIONING_TEST_MYSQL_URL} names a server.
 * Not part of a normal build (tag {@code benchmark}); run it with
 * {@code mvn -pl provisioning-jdbc verify -Djdbc.excludedGroups= -Dgroups=benchmark}. Results go to the test's
 * output file under {@code target/surefire-reports}.
 */
@Tag("benchmark")
class JdbcThroughputBenchmarkTest {
    private static final int JOBS = 2000;
    private static final Duration POLL = Duration.ofSeconds(15);

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2", "mysql"})
    void fullLifecycleJobsPerSecondAndStatementsPerJob(String database) {
        Supplier<TestDatabase> open = switch (database) {
            case "h2" -> () -> H2Databases.newDatabase("");
            case "mysql" -> MySqlDatabases::emptied;
            default -> EmbeddedPostgresDatabases::newSchema;
        };
        try (TestDatabase db = open.get()) {
            new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
            CountingDataSource counting = new CountingDataSource(db.dataSource());
            MutableClock clock = MutableClock.atFixedStart();
            ManualScheduler scheduler = new ManualScheduler();
            InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
            for (int i = 0; i < JOBS; i++) {
                tenants.put("tenant-" + i, "tenant-" + i, "pending");
            }
            AtomicInteger finished = new AtomicInteger();
            TenantProvisioner engine = TenantProvisioner.builder()
                    .repository(new ClockedJobRepository(new JdbcJobRepository(counting, db.dialect()), clock))
                    .tenantDirectory(tenants)
                    .runner(new ScriptedAutomationRunner(clock).defaultScript(Script.succeedAfter(1)))
                    .scheduler(scheduler)
                    .clock(clock)
                    .nodeId("bench")
                    .pollInterval(POLL)
                    .listener((job, event) -> {
                        if (event.type() == JobEventType.STATUS_CHANGED && event.to() != null
                                && event.to().isTerminal()) {
                            finished.incrementAndGet();
                        }
                    })
                    .build();
            engine.start();

            long start = System.nanoTime();
            for (int i = 0; i < JOBS; i++) {
                engine.request(ProvisioningRequest.provision("tenant-" + i, DeploymentMode.DOTMAC_HOSTED));
            }
            long requested = System.nanoTime();
            Counts requestCost = Counts.of(counting);
            counting.reset();
            int rounds = 0;
            while (finished.get() < JOBS && rounds < 100) {
                scheduler.runPending();
                clock.advance(POLL);
                engine.sweepNow();
                scheduler.runPending();
                rounds++;
            }
            long end = System.nanoTime();
            Counts processCost = Counts.of(counting);
            engine.close();

            assertThat(finished.get()).isEqualTo(JOBS);
            double seconds = (end - start) / 1e9;
            String report = String.format(Locale.ROOT, "%n=== provisioning-jdbc throughput, %s, %d jobs, one engine ===%n"
                    + "wall time %.2f s (requests %.2f s, processing %.2f s in %d sweeps): %.0f full-lifecycle jobs/s%n"
                    + "per job: request %s; processing %s; total %.1f statements, %.1f commits, %.1f connections%n",
                    database, JOBS, seconds, (requested - start) / 1e9, (end - requested) / 1e9, rounds, JOBS / seconds,
                    requestCost.perJob(), processCost.perJob(),
                    (requestCost.statements + processCost.statements) / (double) JOBS,
                    (requestCost.commits + processCost.commits) / (double) JOBS,
                    (requestCost.connections + processCost.connections) / (double) JOBS);
            System.out.println(report);
        }
    }

    private record Counts(long statements, long batchedRows, long commits, long connections) {
        static Counts of(CountingDataSource c) {
            return new Counts(c.statements(), c.batchedRows(), c.commits(), c.connections());
        }

        String perJob() {
            return String.format(Locale.ROOT, "%.1f statements (%.1f batched rows), %.1f commits, %.1f connections",
                    statements / (double) JOBS, batchedRows / (double) JOBS, commits / (double) JOBS,
                    connections / (double) JOBS);
        }
    }
}
