package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three engines (three {@link TenantProvisioner}s with their own node ids, repositories and connection pools, real
 * {@link com.dotmac.provisioning.scheduler.ExecutorScheduler}s, 20 ms poll and sweep intervals) share one embedded
 * PostgreSQL (and, in a second test, one MySQL/MariaDB database: {@link MySqlDatabases}, skipped without a server)
 * and one scripted runner, and drive 2,000 jobs (one per tenant) submitted to all three at once. None may be
 * launched twice and none lost: every job succeeds and every tenant ends {@code provisioned}.
 */
class MultiEngineStressTest {
    private static final int JOBS = 2000;
    private static final int ENGINES = 3;
    private static final Duration FAST = Duration.ofMillis(20);

    @Test
    void threeEnginesOnOneDatabaseLaunchEveryJobOnceAndLoseNone() throws Exception {
        try (TestDatabase db = EmbeddedPostgresDatabases.newSchema()) {
            threeEnginesLaunchEveryJobOnceAndLoseNone(db);
        }
    }

    @Test
    void threeEnginesOnOneMySqlDatabaseLaunchEveryJobOnceAndLoseNone() throws Exception {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            threeEnginesLaunchEveryJobOnceAndLoseNone(db);
        }
    }

    private static void threeEnginesLaunchEveryJobOnceAndLoseNone(TestDatabase db) throws Exception {
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        for (int i = 0; i < JOBS; i++) {
            tenants.put(tenant(i), tenant(i), "pending");
        }
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC())
                .defaultScript(Script.succeedAfter(1));
        Map<String, AtomicInteger> transitionsByNode = new ConcurrentHashMap<>();
        List<TenantProvisioner> engines = new ArrayList<>();
        try {
            for (int n = 0; n < ENGINES; n++) {
                String nodeId = "node-" + n;
                AtomicInteger transitions = transitionsByNode.computeIfAbsent(nodeId, k -> new AtomicInteger());
                TenantProvisioner engine = TenantProvisioner.builder()
                        .repository(new JdbcJobRepository(db.newPool(), db.dialect()))
                        .tenantDirectory(tenants)
                        .runner(runner)
                        .nodeId(nodeId)
                        .pollInterval(FAST)
                        .sweepInterval(FAST)
                        .leaseDuration(Duration.ofSeconds(30))
                        .listener((job, event) -> {
                            if (event.type() == JobEventType.STATUS_CHANGED) {
                                transitions.incrementAndGet();
                            }
                        })
                        .build();
                engines.add(engine);
                engine.start();
            }

            long start = System.nanoTime();
            List<String> jobIds = submitToAllEngines(engines);
            double submitted = (System.nanoTime() - start) / 1e9;

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> countByStatus(db).getOrDefault(JobStatus.SUCCEEDED.wireName(), 0L) == JOBS);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s: %d jobs on %d engines: submitted in %.1f s, all succeeded after %.1f s "
                    + "(%.0f jobs/s); transitions per node %s%n", db.dialect(), JOBS, ENGINES, submitted, seconds,
                    JOBS / seconds, transitionsByNode);

            assertThat(countByStatus(db)).containsExactly(Map.entry(JobStatus.SUCCEEDED.wireName(), (long) JOBS));
            Map<String, Long> launchesPerJob = runner.launches().stream()
                    .collect(Collectors.groupingBy(LaunchSpec::correlationId, Collectors.counting()));
            assertThat(launchesPerJob).hasSize(JOBS).containsOnlyKeys(jobIds)
                    .allSatisfy((job, launches) -> assertThat(launches).as("launches of job %s", job).isEqualTo(1));
            assertThat(jobIds).allSatisfy(id -> assertThat(runner.runsFor(id)).isEqualTo(1));
            for (int i = 0; i < JOBS; i++) {
                assertThat(tenants.statusOf(tenant(i))).as(tenant(i)).isEqualTo(TenantStatus.PROVISIONED);
            }
            assertThat(scalar(db, "SELECT COUNT(*) FROM tenant_provisioning_job_events "
                    + "WHERE type = 'status_changed' AND to_status = 'in_progress'")).isEqualTo(JOBS);
            assertThat(scalar(db, "SELECT COUNT(*) FROM tenant_provisioning_jobs "
                    + "WHERE lease_owner IS NOT NULL OR next_check_at IS NOT NULL")).isZero();
            // listeners fire after the commit that the database status shows: wait for them, then check the exact
            // count (a duplicate notification would overshoot it)
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> transitions(transitionsByNode) >= 2 * JOBS);
            assertThat(transitions(transitionsByNode)).isEqualTo(2 * JOBS);
            assertThat(transitionsByNode.values()).as("work done by each node: %s", transitionsByNode)
                    .filteredOn(c -> c.get() > 0).hasSizeGreaterThanOrEqualTo(2);
            JobEvent last = engines.get(0).events(jobIds.get(0)).get(engines.get(0).events(jobIds.get(0)).size() - 1);
            assertThat(last.type()).isEqualTo(JobEventType.TENANT_STATUS_APPLIED);
        } finally {
            engines.forEach(TenantProvisioner::close);
        }
    }

    /** Each engine gets a third of the requests, all submitted at the same time. */
    private static List<String> submitToAllEngines(List<TenantProvisioner> engines) throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(engines.size());
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int n = 0; n < engines.size(); n++) {
                int node = n;
                futures.add(submitters.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = node; i < JOBS; i += engines.size()) {
                        ProvisioningJob job = engines.get(node).request(ProvisioningRequest.provision(tenant(i),
                                DeploymentMode.DOTMAC_HOSTED));
                        ids.add(job.id());
                    }
                    return ids;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(JOBS).doesNotHaveDuplicates();
            return all;
        } finally {
            submitters.shutdownNow();
        }
    }

    private static int transitions(Map<String, AtomicInteger> transitionsByNode) {
        return transitionsByNode.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static String tenant(int i) {
        return "tenant-" + i;
    }

    private static Map<String, Long> countByStatus(TestDatabase db) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM tenant_provisioning_jobs GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static long scalar(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
