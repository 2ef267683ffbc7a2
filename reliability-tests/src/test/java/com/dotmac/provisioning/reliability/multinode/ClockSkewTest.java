package com.dotmac.provisioning.reliability.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.EngineNodes;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Scale;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, clock skew: three engines share one embedded PostgreSQL and one fake AWX (random latency, no injected
 * faults; AWX takes up to 300 ms to create a launch's job), as in {@link MultiNodeFaultTest}, but their clocks disagree: node 0's runs 90 s ahead, node 1's is right,
 * node 2's runs 90 s behind (injected {@link Clock}s). Leases have the default length
 * ({@link EngineSettings#DEFAULT_LEASE_DURATION}, 20 s), much shorter than the skew: were leases and due times decided
 * on each node's own clock, node 0 would see every lease of the others as expired and take over jobs they are
 * launching, and node 2 would write leases that are expired for the others already. 2,000 jobs (CI scale;
 * {@code -Dreliability.jobs=N}) run as sequences per tenant, submitted to random engines.
 *
 * <p>Afterwards: no {@code provisioning_job_id} started two AWX jobs, every job is terminal with nothing left to
 * do, every job that ran has the outcome of its AWX run, and every tenant's status is what {@link TenantStatusRules}
 * gives for its last job (the one requested last, which is also its newest by creation time).
 */
@Tag("reliability")
@Tag("multinode")
class ClockSkewTest {
    private static final Duration SKEW = Duration.ofSeconds(90);
    private static final int SUBMITTERS = 4;
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /**
     * AWX takes up to this long to create the job of a launch (a real AWX's launch endpoint takes about that): the
     * window in which another node that took the job over finds no run and launches again.
     */
    private static final Duration LAUNCH_PROCESSING = Duration.ofMillis(300);

    @Test
    void nodesWhoseClocksRunNinetySecondsAheadAndBehindLaunchNothingTwice() throws Exception {
        int jobs = Scale.jobs();
        long seed = Scale.seed();
        Random random = new Random(seed);
        FakeAwx awx = new FakeAwx();
        List<Clock> clocks = List.of(Clock.offset(Clock.systemUTC(), SKEW), Clock.systemUTC(),
                Clock.offset(Clock.systemUTC(), SKEW.negated()));
        try (Schema db = Postgres.newSchema("clock_skew").withTables();
             AwxFront front = new AwxFront(awx, random).latency(Duration.ofMillis(15))
                     .launchProcessing(LAUNCH_PROCESSING)) {
            front.start();
            List<Plan> plans = plans(jobs, random);
            plans.forEach(p -> db.insertTenant(p.tenant, "new"));
            Map<String, Plan> active = new ConcurrentHashMap<>();
            BlockingQueue<Plan> ready = new LinkedBlockingQueue<>(plans);
            CountDownLatch finished = new CountDownLatch(plans.size());
            Map<String, AtomicInteger> workByNode = new TreeMap<>();
            List<TenantProvisioner> engines = new ArrayList<>();
            List<AwxAutomationRunner> runners = new ArrayList<>();
            List<String> submitted = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            long started = System.nanoTime();
            boolean done = false;
            try {
                for (int n = 0; n < clocks.size(); n++) {
                    String nodeId = "node-" + n;
                    AtomicInteger work = new AtomicInteger();
                    workByNode.put(nodeId, work);
                    AwxAutomationRunner runner = EngineNodes.runner(front, READ_TIMEOUT);
                    runners.add(runner);
                    TenantProvisioner engine = EngineNodes.node(db, nodeId, runner)
                            .clock(clocks.get(n))
                            .pollInterval(Duration.ofMillis(200))
                            .sweepInterval(Duration.ofMillis(100))
                            .retryDelays(Duration.ofMillis(500), Duration.ofSeconds(2))
                            .listener((job, event) -> {
                                if (event.type() == JobEventType.STATUS_CHANGED) {
                                    work.incrementAndGet();
                                }
                                if (event.type() == JobEventType.TENANT_STATUS_APPLIED && job.status().isTerminal()) {
                                    Plan plan = active.remove(job.tenantId());
                                    if (plan != null) {
                                        plan.status = TenantStatusRules.tenantStatusFor(job.operation(), job.status());
                                        if (plan.remaining == 0) {
                                            finished.countDown();
                                        } else {
                                            ready.add(plan);
                                        }
                                    }
                                }
                            })
                            .build();
                    engines.add(engine);
                    engine.start();
                }
                ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
                for (int s = 0; s < SUBMITTERS; s++) {
                    Random own = new Random(random.nextLong());
                    submitters.execute(() -> submit(engines, awx, ready, active, finished, submitted, errors, own));
                }
                done = finished.await(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                submitters.shutdownNow();
                assertThat(errors).as("requests the engines refused").isEmpty();
                Map<String, List<Long>> duplicates = Launches.duplicates(awx);
                assertThat(duplicates).as(() -> duplicates.size() + " provisioning_job_ids started more than one AWX "
                        + "job; the first: " + duplicates.keySet().stream().limit(3).map(db::timeline)
                        .collect(Collectors.joining("\n"))).isEmpty();
                assertThat(done).as("all %d tenants finished their jobs within %s; %d jobs submitted", plans.size(),
                        FINISH_TIMEOUT, submitted.size()).isTrue();
                verify(db, awx, plans, submitted, jobs);
            } finally {
                engines.forEach(TenantProvisioner::close);
                runners.forEach(AwxAutomationRunner::close);
                figures(db, awx, seed, plans.size(), submitted.size(), workByNode, done,
                        (System.nanoTime() - started) / 1e9);
            }
        }
    }

    /** Saves the figures, also of a run that failed (then they tell how far it got). */
    private static void figures(Schema db, FakeAwx awx, long seed, int tenants, int submitted,
            Map<String, AtomicInteger> workByNode, boolean done, double seconds) {
        Map<String, Long> outcomes = new TreeMap<>();
        db.rows("SELECT status, COALESCE(error_code, '-') AS code, COUNT(*) AS n FROM tenant_provisioning_jobs "
                + "GROUP BY status, error_code").forEach(r -> outcomes.put(r.get("status") + " " + r.get("code"),
                ((Number) r.get("n")).longValue()));
        new Figures("clock-skew")
                .put("seed", seed)
                .put("node clocks", "node-0 +" + SKEW.toSeconds() + " s, node-1 right, node-2 -" + SKEW.toSeconds()
                        + " s")
                .put("lease", EngineSettings.DEFAULT_LEASE_DURATION)
                .put("tenants", tenants)
                .put("jobs submitted", submitted)
                .put("all finished", done)
                .put("jobs by outcome", outcomes)
                .put("AWX runs started", Launches.runsByJob(awx).values().stream().mapToInt(List::size).sum())
                .put("duplicate launches found", Launches.duplicates(awx).size())
                .put("launch retries (launch_retry_scheduled events)", db.scalar("SELECT COUNT(*) FROM "
                        + "tenant_provisioning_job_events WHERE type = 'launch_retry_scheduled'"))
                .put("status changes by node", workByNode)
                .seconds("time taken", seconds)
                .put("jobs per second", String.format(Locale.ROOT, "%.0f", submitted / seconds))
                .save();
    }

    /** Takes tenants whose previous job has ended and requests their next one from a random engine. */
    private static void submit(List<TenantProvisioner> engines, FakeAwx awx, BlockingQueue<Plan> ready,
            Map<String, Plan> active, CountDownLatch finished, List<String> submitted, List<Throwable> errors,
            Random random) {
        try {
            while (finished.getCount() > 0 && errors.isEmpty()) {
                Plan plan = ready.poll(50, TimeUnit.MILLISECONDS);
                if (plan == null) {
                    continue;
                }
                awx.defaultScript(random.nextDouble() < 0.85 ? RunScript.succeedAfter(random.nextInt(4))
                        : RunScript.failAfter(random.nextInt(3), "Start tenant stack", "dc1-node-1",
                                "docker compose up failed"));
                Operation operation = plan.next(random);
                active.put(plan.tenant, plan);
                ProvisioningJob job = engines.get(random.nextInt(engines.size())).request(
                        ProvisioningRequest.builder(plan.tenant).operation(operation)
                                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                                .releaseVersion(operation == Operation.UPGRADE ? "3." + plan.remaining + ".0" : null)
                                .requestedBy("clock-skew-test").build());
                submitted.add(job.id());
                plan.lastJob = job.id();
                if (submitted.size() % 500 == 0) {
                    awx.clearCalls(); // the fake keeps every call in a copy-on-write list
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private static void verify(Schema db, FakeAwx awx, List<Plan> plans, List<String> submitted, int jobs) {
        assertThat(submitted).as("jobs submitted").hasSize(jobs).doesNotHaveDuplicates();
        Set<String> stored = Set.copyOf(db.rows("SELECT id FROM tenant_provisioning_jobs").stream()
                .map(r -> String.valueOf(r.get("id"))).toList());
        assertThat(stored).as("no submitted job is lost").containsAll(submitted);
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('queued', 'in_progress') "
                + "OR NOT tenant_status_applied OR lease_owner IS NOT NULL OR next_check_at IS NOT NULL"))
                .as("jobs not terminal, or with work or a lease left").isZero();
        Map<String, List<LaunchRecord>> runs = Launches.runsByJob(awx);
        for (Map<String, @Nullable Object> job : db.rows("SELECT id, status, error_code, awx_job_id FROM "
                + "tenant_provisioning_jobs")) {
            String id = String.valueOf(job.get("id"));
            Object awxJobId = job.get("awx_job_id");
            if (awxJobId == null) {
                assertThat(runs).as("job %s (%s %s) never recorded a run", id, job.get("status"),
                        job.get("error_code")).doesNotContainKey(id);
                continue;
            }
            assertThat(String.valueOf(runs.get(id).get(0).jobId())).as("job %s follows its run", id)
                    .isEqualTo(String.valueOf(awxJobId));
            String awxStatus = awx.job(Long.parseLong(String.valueOf(awxJobId))).map(v -> v.status()).orElse("gone");
            String expected = switch (String.valueOf(job.get("status"))) {
                case "succeeded" -> "successful";
                case "failed" -> "failed";
                default -> "(not expected: " + job.get("status") + " " + job.get("error_code") + ")";
            };
            assertThat(awxStatus).as("job %s ended %s %s", id, job.get("status"), job.get("error_code"))
                    .isEqualTo(expected);
        }
        Map<String, String> statuses = db.tenantStatuses();
        for (Plan plan : plans) {
            Map<String, @Nullable Object> last = db.rows("SELECT id, operation, status FROM tenant_provisioning_jobs "
                    + "WHERE id = ?", plan.lastJob).get(0);
            String expected = TenantStatusRules.tenantStatusFor(
                    Operation.fromWire(String.valueOf(last.get("operation"))),
                    JobStatus.fromWire(String.valueOf(last.get("status"))));
            assertThat(statuses.get(plan.tenant)).as("tenant %s after its last job (%s %s)", plan.tenant,
                    last.get("operation"), last.get("status")).isEqualTo(expected);
            assertThat(db.rows("SELECT id FROM tenant_provisioning_jobs WHERE tenant_id = ? ORDER BY created_at DESC, "
                    + "id LIMIT 1", plan.tenant).get(0).get("id")).as("tenant %s's newest job by its creation time "
                    + "(which the engine and the job list go by) is the one requested last", plan.tenant)
                    .isEqualTo(plan.lastJob);
        }
    }

    /** Job sequences per tenant: 1-7 jobs, 4 on average, adding up to the number of jobs asked for. */
    private static List<Plan> plans(int jobs, Random random) {
        List<Plan> plans = new ArrayList<>();
        int left = jobs;
        while (left > 0) {
            int count = Math.min(left, 1 + random.nextInt(7));
            plans.add(new Plan("skew-" + plans.size(), count));
            left -= count;
        }
        return plans;
    }

    /** A tenant's remaining jobs; changed by one thread at a time (handed over through the queue). */
    private static final class Plan {
        final String tenant;
        volatile int remaining;
        volatile String status = "new";
        volatile @Nullable String lastJob;

        Plan(String tenant, int remaining) {
            this.tenant = tenant;
            this.remaining = remaining;
        }

        /** The operation its status allows; the last job is a decommission half of the time. */
        Operation next(Random random) {
            remaining--;
            if (remaining == 0 && random.nextBoolean()) {
                return Operation.DECOMMISSION;
            }
            return switch (status) {
                case TenantStatus.PROVISIONED, TenantStatus.FAILED_UPGRADE -> Operation.UPGRADE;
                default -> Operation.PROVISION;
            };
        }
    }
}
