package com.dotmac.provisioning.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.ProvisioningUnavailableException;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.EngineNodes;
import com.dotmac.provisioning.reliability.support.CapturedLogs;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.RestartablePostgres;
import com.dotmac.provisioning.reliability.support.Scale;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL restart under load (issue 21, database outage): three engines (own node ids, HikariCP pools with a
 * short connection timeout, AWX runners, real schedulers) share an embedded PostgreSQL of this test's own and a fake
 * AWX behind {@link AwxFront}. {@link Scale#jobs()} provision jobs in total (one per tenant, 2,000 at CI scale) are
 * submitted at a steady pace over {@link #SUBMIT_SPAN}, to random engines; meanwhile the server is stopped for
 * {@link #OUTAGE} and started again on the same data directory and port, twice. A request refused with
 * {@link ProvisioningUnavailableException} is made again (with the same idempotency key) after its retry-after.
 *
 * <p>Afterwards: every tenant's job is stored once and terminal with nothing left to do (0 lost), no
 * {@code provisioning_job_id} started two AWX jobs (0 duplicate launches), every job that ran follows its one AWX
 * run, nothing was cancelled, every tenant's status is what {@link TenantStatusRules} gives; each engine logged ONE
 * outage warning and ONE "reachable again" line per outage, and no sweep failure. The figures give the time from
 * the database's return to the backlog (jobs due now, {@code countDue}) being drained.
 */
@Tag("reliability")
@Tag("faults")
class PostgresRestartTest {
    private static final int ENGINES = 3;
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** When the first outage starts, after the first submission. */
    private static final Duration FIRST_STOP_AT = Duration.ofSeconds(3);
    /** How long the database is up between the two outages (at least; the backlog is drained first). */
    private static final Duration BETWEEN = Duration.ofSeconds(5);
    /** Over how long the jobs are submitted (at a steady pace; refused requests wait and catch up). */
    private static final Duration SUBMIT_SPAN = Duration.ofSeconds(40);
    /** Shorter than an outage: every job leased before it is free (due) when the database returns. */
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The tenant directory's pool: longer than the 5 s HikariCP may wait between two attempts to open a connection
     * after failed ones. With 1 s, a request's tenant read a few seconds after the database was back could time out
     * in that pool (still empty, reporting the last failure, 57P03 "starting up") after the node had already found
     * the database again, and the node rightly reported a third, brief outage (2 of 3 runs at 1c2eefe).
     */
    private static final Duration TENANT_POOL_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void twoRestartsLoseNothingLaunchNothingTwiceAndLogOneWarningPerOutage() throws Exception {
        int jobs = Scale.jobs();
        long seed = Scale.seed();
        Random random = new Random(seed);
        FakeAwx awx = new FakeAwx();
        Figures figures = new Figures("postgres-restart").put("seed", seed).put("engines", ENGINES)
                .put("jobs (one per tenant)", jobs).put("outages", "2 x " + OUTAGE.toSeconds() + " s");
        try (RestartablePostgres pg = RestartablePostgres.start();
             Schema db = pg.newSchema("restart").withTables();
             AwxFront front = new AwxFront(awx, random).latency(Duration.ofMillis(10))) {
            front.start();
            List<String> tenants = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                tenants.add(String.format(Locale.ROOT, "r-%05d", i));
            }
            tenants.forEach(t -> db.insertTenant(t, "new"));
            JdbcJobRepository observer = new JdbcJobRepository(db.dataSource(), JdbcDialect.POSTGRESQL);
            Set<String> ended = ConcurrentHashMap.newKeySet();
            CountDownLatch finished = new CountDownLatch(jobs);
            List<TenantProvisioner> engines = new ArrayList<>();
            List<AwxAutomationRunner> runners = new ArrayList<>();
            CapturedLogs.arm();
            long started = System.nanoTime();
            Submitter submitter = null;
            try {
                for (int n = 0; n < ENGINES; n++) {
                    String nodeId = "node-" + n;
                    AwxAutomationRunner runner = EngineNodes.runner(front, Duration.ofSeconds(5));
                    runners.add(runner);
                    TenantProvisioner engine = EngineNodes.node(db, nodeId, runner, POOL_TIMEOUT, TENANT_POOL_TIMEOUT)
                            .pollInterval(Duration.ofMillis(200))
                            .sweepInterval(Duration.ofMillis(100))
                            .leaseDuration(LEASE)
                            .retryDelays(Duration.ofMillis(500), Duration.ofSeconds(2))
                            .listener((job, event) -> {
                                if (event.type() == JobEventType.TENANT_STATUS_APPLIED && job.status().isTerminal()
                                        && ended.add(job.tenantId())) {
                                    finished.countDown();
                                }
                            })
                            .build();
                    engines.add(engine);
                    engine.start();
                }
                submitter = new Submitter(engines, awx, tenants, new Random(random.nextLong()));
                submitter.start();

                List<Double> drains = new ArrayList<>();
                List<Long> backlogs = new ArrayList<>();
                sleepUntil(started, FIRST_STOP_AT);
                for (int outage = 1; outage <= 2; outage++) {
                    pg.stop();
                    long stoppedAt = System.nanoTime();
                    sleepUntil(stoppedAt, OUTAGE);
                    pg.startAgain();
                    long back = System.nanoTime();
                    long backlog = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                            .until(() -> observer.countDue(Instant.now()), n -> true);
                    backlogs.add(backlog);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                            .until(() -> observer.countDue(Instant.now()) == 0);
                    drains.add((System.nanoTime() - back) / 1e9);
                    if (outage == 1) {
                        // every node must have found the database again (its back-off tries at least every 5 s),
                        // else the second outage is one long outage for it, not a second one
                        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                                .until(() -> engines.stream().allMatch(e -> e.repositoryUnavailableSince().isEmpty()));
                        sleepUntil(back, BETWEEN);
                    }
                }
                figures.put("backlog when the database returned (jobs due)", backlogs)
                        .put("database back to backlog drained (s)", drains.stream()
                                .map(d -> String.format(Locale.ROOT, "%.1f", d)).toList());

                boolean done = finished.await(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                submitter.join();
                assertThat(submitter.errors).as("requests refused otherwise than as unavailable").isEmpty();
                assertThat(done).as("all %d tenants' jobs ended within %s; %d submitted", jobs, FINISH_TIMEOUT,
                        submitter.submitted.size()).isTrue();
                verifyJobs(db, awx, tenants);
                verifyLogs(CapturedLogs.lines());
            } finally {
                if (submitter != null) {
                    submitter.interrupt();
                }
                engines.forEach(TenantProvisioner::close);
                runners.forEach(AwxAutomationRunner::close);
                CapturedLogs.disarm();
                figures.put("requests refused as unavailable (503)", submitter == null ? 0 : submitter.refused.get())
                        .put("AWX runs started", Launches.runsByJob(awx).size())
                        .put("AWX requests by kind", front.requestCounts())
                        .put("duplicate launches found", Launches.duplicates(awx).size())
                        .put("runs found again after a lost launch answer", safeScalar(db, "SELECT COUNT(*) FROM "
                                + "tenant_provisioning_job_events WHERE type = 'status_changed' "
                                + "AND message LIKE 'found run%'"))
                        .seconds("time taken", (System.nanoTime() - started) / 1e9)
                        .save();
            }
        }
    }

    private static void verifyJobs(Schema db, FakeAwx awx, List<String> tenants) {
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs")).as("jobs stored (one per tenant)")
                .isEqualTo(tenants.size());
        assertThat(db.scalar("SELECT COUNT(DISTINCT tenant_id) FROM tenant_provisioning_jobs"))
                .as("tenants with a job").isEqualTo(tenants.size());
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('queued', 'in_progress') "
                + "OR NOT tenant_status_applied OR lease_owner IS NOT NULL OR next_check_at IS NOT NULL"))
                .as("jobs not terminal, or with work or a lease left").isZero();
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('cancelled', "
                + "'timed_out')")).as("jobs cancelled or timed out (nothing is cancelled by an outage)").isZero();
        Map<String, List<Long>> duplicates = Launches.duplicates(awx);
        assertThat(duplicates).as(() -> "provisioning_job_ids that started more than one AWX job; " + duplicates
                .keySet().stream().map(db::timeline).collect(java.util.stream.Collectors.joining("\n"))).isEmpty();
        Map<String, List<LaunchRecord>> runs = Launches.runsByJob(awx);
        for (Map<String, @Nullable Object> job : db.rows("SELECT id, status, awx_job_id FROM "
                + "tenant_provisioning_jobs")) {
            String id = String.valueOf(job.get("id"));
            Object awxJobId = job.get("awx_job_id");
            if (awxJobId == null) {
                assertThat(runs).as("job %s (%s) never recorded a run", id, job.get("status")).doesNotContainKey(id);
                continue;
            }
            assertThat(runs.get(id)).as("AWX runs of job %s", id).hasSize(1);
            assertThat(String.valueOf(runs.get(id).get(0).jobId())).as("job %s follows its run", id)
                    .isEqualTo(String.valueOf(awxJobId));
        }
        Map<String, String> statuses = db.tenantStatuses();
        for (Map<String, @Nullable Object> job : db.rows("SELECT tenant_id, status FROM tenant_provisioning_jobs")) {
            String tenant = String.valueOf(job.get("tenant_id"));
            String expected = TenantStatusRules.tenantStatusFor(Operation.PROVISION,
                    JobStatus.fromWire(String.valueOf(job.get("status"))));
            assertThat(statuses.get(tenant)).as("tenant %s after its job (%s)", tenant, job.get("status"))
                    .isEqualTo(expected);
        }
    }

    private static void verifyLogs(List<String> lines) {
        for (int n = 0; n < ENGINES; n++) {
            String node = "node-" + n + ": ";
            assertThat(lines.stream().filter(l -> l.contains(node + "the job repository is unavailable")))
                    .as("outage warnings of %s", node).hasSize(2)
                    .allSatisfy(l -> assertThat(l).startsWith("WARN").doesNotContain("\tat "));
            assertThat(lines.stream().filter(l -> l.contains(node + "the job repository (database) is reachable "
                    + "again after"))).as("'reachable again' lines of %s", node).hasSize(2);
        }
        assertThat(lines.stream().filter(l -> l.contains("provisioning sweep failed")))
                .as("sweep failures logged (the flood)").isEmpty();
    }

    private static Object safeScalar(Schema db, String sql) {
        try {
            return db.scalar(sql);
        } catch (RuntimeException e) {
            return "n/a (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static void sleepUntil(long fromNanos, Duration after) throws InterruptedException {
        long wait = fromNanos + after.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /**
     * Requests one provision job per tenant at a steady pace, each from a random engine; a request refused as
     * unavailable is made again with the same idempotency key after its retry-after (at most half a second).
     */
    private static final class Submitter extends Thread {
        private final List<TenantProvisioner> engines;
        private final FakeAwx awx;
        private final List<String> tenants;
        private final Random random;
        final List<String> submitted = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AtomicLong refused = new AtomicLong();

        Submitter(List<TenantProvisioner> engines, FakeAwx awx, List<String> tenants, Random random) {
            super("postgres-restart-submitter");
            this.engines = engines;
            this.awx = awx;
            this.tenants = tenants;
            this.random = random;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long pace = SUBMIT_SPAN.toNanos() / tenants.size();
            try {
                for (int i = 0; i < tenants.size(); i++) {
                    sleepUntil(start, Duration.ofNanos(pace * i));
                    submit(tenants.get(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }

        private void submit(String tenant) throws InterruptedException {
            awx.defaultScript(random.nextDouble() < 0.85 ? RunScript.succeedAfter(random.nextInt(4))
                    : RunScript.failAfter(random.nextInt(3), "Start tenant stack", "dc1-node-1",
                            "docker compose up failed"));
            while (true) {
                try {
                    submitted.add(engines.get(random.nextInt(engines.size())).request(
                            ProvisioningRequest.builder(tenant).operation(Operation.PROVISION)
                                    .deploymentMode(DeploymentMode.DOTMAC_HOSTED).idempotencyKey("restart-" + tenant)
                                    .requestedBy("restart-test").build()).id());
                    return;
                } catch (ProvisioningUnavailableException e) {
                    refused.incrementAndGet();
                    Duration wait = e.retryAfter().compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500)
                            : e.retryAfter();
                    TimeUnit.MILLISECONDS.sleep(Math.max(50, wait.toMillis()));
                }
            }
        }
    }
}
