package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine never holds a database connection across a call to the runner: with a pool of ONE connection (and a
 * one-second connection timeout), a runner that borrows a connection from the same pool inside every launch, poll,
 * look-up and cancel gets it every time. Were the engine to keep its connection while it waits for the runner (a
 * runner call inside a transaction, a connection cached per thread), the runner's borrow would time out. Stepped
 * deterministically (manual scheduler, movable clock) on embedded PostgreSQL.
 */
class NoConnectionAcrossRunnerCallsTest {
    private static final Duration POLL = Duration.ofSeconds(10);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock);
    private final ManualScheduler scheduler = new ManualScheduler();
    private String schema;
    private HikariDataSource pool;

    @BeforeEach
    void openOneConnectionPool() {
        schema = EmbeddedPostgresDatabases.uniqueName("one");
        HikariConfig config = new HikariConfig();
        config.setPoolName("one-connection");
        config.setJdbcUrl(EmbeddedPostgresDatabases.createSchema(schema));
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1_000);
        pool = new HikariDataSource(config);
        new JdbcSchemaInitializer(pool, JdbcDialect.POSTGRESQL).initialize();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE host_tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))");
            st.execute("INSERT INTO host_tenants VALUES ('acme', 'acme', 'pending'), ('globex', 'globex', 'pending')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
        EmbeddedPostgresDatabases.dropSchema(schema);
    }

    @Test
    void aRunnerThatBorrowsTheOnlyConnectionInEveryCallGetsIt() {
        scripted.script("acme", Script.succeedAfter(2));
        scripted.script("globex", Script.hang());
        BorrowingRunner runner = new BorrowingRunner(scripted, pool);
        TenantProvisioner node = TenantProvisioner.builder()
                .repository(new JdbcJobRepository(pool, JdbcDialect.POSTGRESQL))
                .tenantDirectory(JdbcTenantDirectory.builder(pool).table("host_tenants").build())
                .runner(runner)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId("node-a")
                .pollInterval(POLL)
                .retryDelays(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .jitter(() -> 0.5)
                .build();
        node.start();

        ProvisioningJob succeeding = node.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED));
        ProvisioningJob cancelled = node.request(ProvisioningRequest.provision("globex", DeploymentMode.DOTMAC_HOSTED));
        runUntil(node, () -> node.job(cancelled.id()).orElseThrow().runId() != null);
        node.cancel(cancelled.id(), "operator", "no longer wanted");
        runUntil(node, () -> isTerminal(node, succeeding.id()) && isTerminal(node, cancelled.id()));

        assertThat(runner.failedBorrows).as("borrows that timed out because the engine held the only connection")
                .isEmpty();
        assertThat(runner.calls).containsKeys("launch", "poll", "cancel");
        assertThat(node.job(succeeding.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(node.job(cancelled.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(JdbcTenantDirectory.builder(pool).table("host_tenants").build().find("acme").orElseThrow()
                .status()).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(scripted.runsFor(succeeding.id())).isEqualTo(1);
    }

    private void runUntil(TenantProvisioner node, BooleanSupplier done) {
        for (int round = 0; round < 30 && !done.getAsBoolean(); round++) {
            scheduler.runPending();
            clock.advance(POLL);
            node.sweepNow();
            scheduler.runPending();
        }
        assertThat(done.getAsBoolean()).as("finished within 30 rounds").isTrue();
    }

    private static boolean isTerminal(TenantProvisioner node, String jobId) {
        return node.job(jobId).orElseThrow().status().isTerminal();
    }

    /** A runner that, inside every call, borrows a connection from the engine's pool and runs a statement on it. */
    private static final class BorrowingRunner extends ForwardingAutomationRunner {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final List<String> failedBorrows = new CopyOnWriteArrayList<>();
        private final HikariDataSource pool;

        BorrowingRunner(ScriptedAutomationRunner delegate, HikariDataSource pool) {
            super(delegate);
            this.pool = pool;
        }

        private void borrow(String call) {
            calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            } catch (SQLException e) {
                failedBorrows.add(call + ": " + e.getMessage());
                throw new IllegalStateException("the runner could not borrow a connection in " + call, e);
            }
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            borrow("launch");
            return super.launch(spec);
        }

        @Override
        public List<LaunchedRun> findRuns(LaunchSpec spec) {
            borrow("findRuns");
            return super.findRuns(spec);
        }

        @Override
        public Map<String, RunStatus> poll(Collection<String> runIds) {
            borrow("poll");
            return super.poll(runIds);
        }

        @Override
        public void cancel(String runId) {
            borrow("cancel");
            super.cancel(runId);
        }
    }
}
