package com.dotmac.provisioning.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.CapturedLogs;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A host whose own traffic exhausts the pool the engine shares with it: two engines and a host thread use ONE
 * HikariCP pool of {@value #POOL_SIZE} connections (HikariCP's default 30 s connection timeout, as a Spring Boot
 * host has it); the host thread again and again takes BOTH connections and holds them for {@value #HOLD_MILLIS} ms,
 * then lets go for {@value #RELEASE_MILLIS} ms, while jobs run on the fake AWX. The engine is delayed, nothing more:
 * every job ends succeeded, none starts a second run, every tenant's status is right, and the engine logs no flood.
 * The size is {@code reliability.pool.jobs} (default {@value #DEFAULT_JOBS}); {@code
 * reliability.pool.connectionTimeoutMillis} shortens the pool's connection timeout below the host's hold, so that the
 * engine's borrows fail instead of waiting (then its failures are logged per call today: see docs/RELIABILITY.md).
 */
@Tag("reliability")
class PoolExhaustionTest {
    private static final int DEFAULT_JOBS = 300;
    private static final int ENGINES = 2;
    private static final int POOL_SIZE = 2;
    private static final long HOLD_MILLIS = 2_000;
    private static final long RELEASE_MILLIS = 500;
    /** At most this many WARN or ERROR lines from the library during the run: a handful, not one per call. */
    private static final int MOST_WARNINGS = 5;
    private static final long DEFAULT_CONNECTION_TIMEOUT_MILLIS = 30_000;

    @Test
    void aHostHoldingTheWholePoolForSecondsDelaysTheEngineWithoutLosingOrRepeatingAJob() throws Exception {
        int jobs = Integer.getInteger("reliability.pool.jobs", DEFAULT_JOBS);
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(2));
        List<TenantProvisioner> engines = new ArrayList<>();
        List<AwxAutomationRunner> runners = new ArrayList<>();
        AtomicBoolean hogging = new AtomicBoolean(true);
        AtomicInteger holds = new AtomicInteger();
        AtomicInteger warned = new AtomicInteger(-1);
        long started = System.nanoTime();
        double drained = -1;
        try (Schema db = Postgres.newSchema("poolfull").withTables();
             AwxFront front = new AwxFront(awx, new Random(21)).latency(Duration.ofMillis(5));
             HikariDataSource shared = pool(db)) {
            front.start();
            for (int i = 0; i < jobs; i++) {
                db.insertTenant("pool-" + i, "new");
            }
            for (int n = 0; n < ENGINES; n++) {
                AwxAutomationRunner runner = new AwxAutomationRunner(front.configBuilder()
                        .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5))
                        .retryDelays(Duration.ofMillis(50), Duration.ofMillis(300)).build());
                runners.add(runner);
                engines.add(TenantProvisioner.builder()
                        .repository(new JdbcJobRepository(shared, JdbcDialect.POSTGRESQL))
                        .tenantDirectory(JdbcTenantDirectory.builder(shared).build())
                        .runner(runner)
                        .nodeId("pool-node-" + n)
                        .pollInterval(Duration.ofMillis(200))
                        .sweepInterval(Duration.ofMillis(100))
                        .retryDelays(Duration.ofMillis(200), Duration.ofSeconds(1))
                        .build());
            }
            // the requests are stored first (a request while the pool is exhausted fails fast: the caller's to
            // retry); then the host starts taking the pool, and the engines start working on the jobs
            for (int i = 0; i < jobs; i++) {
                engines.get(i % ENGINES).request(ProvisioningRequest.builder("pool-" + i)
                        .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                        .requestedBy("pool-test").build());
            }
            CapturedLogs.arm();
            Thread host = new Thread(() -> hog(shared, hogging, holds), "host-pool-hog");
            host.start();
            engines.forEach(TenantProvisioner::start);

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN "
                            + "('queued', 'in_progress') OR NOT tenant_status_applied") == 0);
            drained = (System.nanoTime() - started) / 1e9;
            hogging.set(false);
            host.join();
            CapturedLogs.disarm();

            assertThat(holds.get()).as("times the host held the whole pool").isGreaterThanOrEqualTo(2);
            assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'succeeded'"))
                    .as("jobs succeeded").isEqualTo(jobs);
            assertThat(Launches.runsByJob(awx)).as("jobs that started a run").hasSize(jobs);
            assertThat(Launches.duplicates(awx)).as("jobs that started more than one run").isEmpty();
            assertThat(db.tenantStatuses().values()).as("tenant statuses").hasSize(jobs)
                    .containsOnly(TenantStatus.PROVISIONED);
            List<String> warnings = CapturedLogs.lines().stream()
                    .filter(l -> l.startsWith("WARN com.dotmac") || l.startsWith("ERROR com.dotmac")).toList();
            warned.set(warnings.size());
            assertThat(warnings).as("WARN and ERROR lines of the library").hasSizeLessThanOrEqualTo(MOST_WARNINGS);
        } finally {
            hogging.set(false);
            CapturedLogs.disarm();
            engines.forEach(TenantProvisioner::close);
            runners.forEach(AwxAutomationRunner::close);
            new Figures("pool-exhaustion")
                    .put("engines", ENGINES)
                    .put("pool size", POOL_SIZE)
                    .put("connection timeout (ms)", connectionTimeoutMillis())
                    .put("host hold / release (ms)", HOLD_MILLIS + " / " + RELEASE_MILLIS)
                    .put("jobs", jobs)
                    .put("times the host held the whole pool", holds.get())
                    .put("AWX runs started", Launches.runsByJob(awx).size())
                    .put("library WARN/ERROR lines", warned.get())
                    .seconds("time to the last job settled", drained)
                    .save();
        }
    }

    private static long connectionTimeoutMillis() {
        return Long.getLong("reliability.pool.connectionTimeoutMillis", DEFAULT_CONNECTION_TIMEOUT_MILLIS);
    }

    /** The one pool of the host and its engines: HikariCP's defaults but for its size (and the -D timeout). */
    private static HikariDataSource pool(Schema db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("host-and-engines");
        config.setJdbcUrl(db.url());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(connectionTimeoutMillis());
        return new HikariDataSource(config);
    }

    /** The host's traffic: takes both connections, holds them, lets go, again, until told to stop. */
    private static void hog(HikariDataSource pool, AtomicBoolean hogging, AtomicInteger holds) {
        while (hogging.get()) {
            try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
                holds.incrementAndGet();
                Thread.sleep(HOLD_MILLIS);
            } catch (SQLException e) {
                // the engines held a connection for the whole connection timeout: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(RELEASE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
