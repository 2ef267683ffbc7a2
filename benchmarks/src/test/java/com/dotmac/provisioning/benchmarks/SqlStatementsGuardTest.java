package com.dotmac.provisioning.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression guard: the SQL statements of provisioning lifecycles (request → launch → in progress → succeeded →
 * tenant provisioned) on embedded PostgreSQL, counted by kind with the harness's {@link StatementCounter}, must not
 * exceed today's counts. The engine is stepped on the test thread (manual scheduler, movable clock), as in
 * {@link ThroughputBenchmark}: all jobs are requested, then swept every poll interval until every tenant is
 * provisioned; the heartbeat (lease renewal) is run after every step, as its 5 s period would between them. A
 * failure names the statement kinds that grew.
 */
class SqlStatementsGuardTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final int JOBS = 20;
    private static final String COMMIT = "(explicit commit)";

    private static Databases databases;

    @BeforeAll
    static void startPostgres() {
        databases = new Databases();
    }

    @AfterAll
    static void stopPostgres() {
        databases.close();
    }

    /**
     * The throughput benchmark's lifecycle (an instant run, no cap): 6 statements per job for a job alone (the 7 of
     * docs/PERFORMANCE.md's design floor less the launch-pending write, which the job's insert makes since issue 19
     * round 2: the request's tenant status and the attempt are recorded with "launched");
     * here the 20 runs end in one poll batch, so their ends and tenant statuses are two JDBC batches and a commit,
     * plus one claim per sweep for the whole batch.
     */
    @Test
    void instantRunNoCap() {
        Map<String, Long> counts = lifecycles(Script.succeedAfter(0), 0);
        CountBounds.check("PostgreSQL statements, instant run, no cap", JOBS, counts, Map.of(
                "tenant read", 20L,                            // request: the tenant exists, its slug and status
                "job insert + events (one statement)", 20L,    // the job and its 'created' event
                // provisioning per request, then provisioned for the whole poll batch in one JDBC batch
                "tenant status update", 21L,
                // launched per job (with 'provisioning' applied and the launch attempt, fenced by the insert); the
                // ends with their statuses applied as one JDBC batch for the poll batch (counted once), in a
                // transaction of its own
                "job update + events (one statement)", 21L,
                COMMIT, 1L,
                "claim due jobs (batch)", 1L));                // one sweep claims the whole batch
    }

    /**
     * A run seen running at the first poll (its start recorded), under a cap on runs in flight (the launch takes the
     * guard table's lock).
     */
    @Test
    void runSeenRunningOnceUnderACap() {
        Map<String, Long> counts = lifecycles(Script.succeedAfter(1), 1000);
        CountBounds.check("PostgreSQL statements, run seen running once, cap 1000", JOBS, counts, Map.ofEntries(
                Map.entry("tenant read", 20L),
                Map.entry("job insert + events (one statement)", 20L),
                Map.entry("tenant status update", 21L),         // provisioning each, provisioned in one batch
                Map.entry("job update + events (one statement)", 41L), // 2 per job, the ends in one batch
                Map.entry("runs guard lock (cap)", 20L),       // the launch's write, in one transaction with
                Map.entry("count runs in flight (cap)", 20L),  // the count under the guard row's lock
                Map.entry(COMMIT, 21L),                        // and its commit; the batch of ends
                Map.entry("job update", 20L),                  // the run's start, at the first poll that sees it run
                Map.entry("claim due jobs (batch)", 2L)));     // two sweeps: running, then succeeded
    }

    /** @return statements (and explicit commits) by kind for {@link #JOBS} lifecycles, after a warm-up */
    private static Map<String, Long> lifecycles(Script script, int cap) {
        try (BenchDatabase db = databases.postgresSchema()) {
            StatementCounter sql = new StatementCounter(db.dataSource());
            MutableClock clock = MutableClock.atFixedStart();
            ManualScheduler scheduler = new ManualScheduler();
            Completions completions = new Completions();
            TenantProvisioner.Builder builder = TenantProvisioner.builder()
                    .repository(new ClockedJobRepository(new JdbcJobRepository(sql, db.dialect()), clock))
                    .tenantDirectory(JdbcTenantDirectory.builder(sql).build())
                    .runner(new ScriptedAutomationRunner(clock).defaultScript(script))
                    .scheduler(scheduler).clock(clock).nodeId("guard-sql")
                    .pollInterval(POLL).jobTimeout(Duration.ofHours(2))
                    .listener(completions);
            if (cap > 0) {
                builder.maxConcurrentRuns(cap);
            }
            TenantProvisioner engine = builder.build();
            engine.start();
            try {
                run(engine, scheduler, clock, completions, db.addTenants("warm-", 5));
                List<String> tenants = db.addTenants("guard-", JOBS);
                sql.reset();
                run(engine, scheduler, clock, completions, tenants);
                StatementCounter.Counts c = sql.counts();
                Map<String, Long> counts = new TreeMap<>(c.executions());
                if (c.commits() > 0) {
                    counts.put(COMMIT, c.commits());
                }
                return counts;
            } finally {
                engine.close();
            }
        }
    }

    private static void run(TenantProvisioner engine, ManualScheduler scheduler, MutableClock clock,
            Completions completions, List<String> tenants) {
        completions.reset();
        for (String tenant : tenants) {
            engine.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED));
            scheduler.runPending();
            scheduler.runHeartbeats();
        }
        for (int round = 0; completions.completed() < tenants.size(); round++) {
            assertThat(round).as("sweeps until every lifecycle ended").isLessThan(20);
            clock.advance(POLL);
            engine.sweepNow();
            scheduler.runPending();
            scheduler.runHeartbeats();
        }
        assertThat(completions.completed(JobStatus.SUCCEEDED)).isEqualTo(tenants.size());
    }
}
