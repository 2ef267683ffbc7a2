package com.dotmac.provisioning.reliability.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.EngineNodes;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Scale;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three engines (own node ids, HikariCP pools, AWX runners and HTTP clients, real {@code ExecutorScheduler}s) share
 * one embedded PostgreSQL and one fake AWX that answers with random latency and injects faults into a fraction of
 * all requests: 500, 502, 503, 429 with {@code Retry-After}, connection resets, read timeouts, malformed JSON, and
 * launches whose answer is lost after AWX started the run. 2,000 jobs (CI scale; {@code -Dreliability.jobs=N}) run
 * as sequences per tenant (provision until it works, upgrades, maybe a decommission), submitted to random engines
 * as soon as the tenant's previous job ended.
 *
 * <p>Afterwards: every submitted job is stored and terminal with nothing left to do (no lost job); no
 * {@code provisioning_job_id} started two AWX jobs (no duplicate launch); every job that ran has the outcome of
 * its AWX run; every tenant's status is what {@link TenantStatusRules} gives for its last job.
 */
@Tag("reliability")
@Tag("multinode")
class MultiNodeFaultTest {
    private static final int ENGINES = 3;
    private static final int SUBMITTERS = 4;
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(30);
    /**
     * Generous, so that only the injected faults make a launch's outcome unknown. An answer slower than this (a busy
     * machine) makes the engine wait for the runner's launch settle time (by default twice this) before its retry
     * looks for the run, so a launch AWX processes within that time is found, not launched twice; only one processed
     * later still would launch twice and be cancelled (see {@code SlowAwxSettleTest} and {@code DuplicateRunTest}).
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, AtomicLong> faultsInjected = new ConcurrentHashMap<>();

    @Test
    void threeEnginesUnderAwxFaultsLoseNothingAndLaunchNothingTwice() throws Exception {
        int jobs = Scale.jobs();
        long seed = Scale.seed();
        Random random = new Random(seed);
        FakeAwx awx = new FakeAwx();
        injectFaults(awx, random);
        try (Schema db = Postgres.newSchema("multinode").withTables();
             AwxFront front = new AwxFront(awx, random).latency(Duration.ofMillis(15))) {
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
            try {
                for (int n = 0; n < ENGINES; n++) {
                    String nodeId = "node-" + n;
                    AtomicInteger work = new AtomicInteger();
                    workByNode.put(nodeId, work);
                    AwxAutomationRunner runner = EngineNodes.runner(front, READ_TIMEOUT);
                    runners.add(runner);
                    TenantProvisioner engine = EngineNodes.node(db, nodeId, runner)
                            .pollInterval(Duration.ofMillis(200))
                            .sweepInterval(Duration.ofMillis(100))
                            .leaseDuration(Duration.ofSeconds(30))
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
                boolean done = finished.await(FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                submitters.shutdownNow();
                assertThat(errors).as("requests the engines refused").isEmpty();
                assertThat(done).as("all %d tenants finished their jobs within %s; %d jobs submitted", plans.size(),
                        FINISH_TIMEOUT, submitted.size()).isTrue();
                verify(db, awx, plans, submitted, jobs);
            } finally {
                engines.forEach(TenantProvisioner::close);
                runners.forEach(AwxAutomationRunner::close);
                figures(db, awx, front, seed, plans.size(), submitted.size(), workByNode,
                        (System.nanoTime() - started) / 1e9);
            }
        }
    }

    /** Saves the figures, also of a run that failed (then they tell how far it got). */
    private void figures(Schema db, FakeAwx awx, AwxFront front, long seed, int tenants, int submitted,
            Map<String, AtomicInteger> workByNode, double seconds) {
        Map<String, Long> outcomes = new TreeMap<>();
        db.rows("SELECT status, COALESCE(error_code, '-') AS code, COUNT(*) AS n FROM tenant_provisioning_jobs "
                + "GROUP BY status, error_code").forEach(r -> outcomes.put(r.get("status") + " " + r.get("code"),
                ((Number) r.get("n")).longValue()));
        new Figures("multinode")
                .put("seed", seed)
                .put("engines", ENGINES)
                .put("tenants", tenants)
                .put("jobs submitted", submitted)
                .put("jobs by outcome", outcomes)
                .put("faults injected", new TreeMap<>(faultsInjected))
                .put("launch retries (launch_retry_scheduled events)", db.scalar("SELECT COUNT(*) FROM "
                        + "tenant_provisioning_job_events WHERE type = 'launch_retry_scheduled'"))
                .put("runs found again after a lost launch answer", db.scalar("SELECT COUNT(*) FROM "
                        + "tenant_provisioning_job_events WHERE type = 'status_changed' "
                        + "AND message LIKE 'found run%'"))
                .put("AWX runs started", Launches.runsByJob(awx).size())
                .put("AWX requests by kind", front.requestCounts())
                .put("duplicate launches found", Launches.duplicates(awx).size())
                .put("status changes by node", workByNode)
                .seconds("time taken", seconds)
                .put("jobs per second", String.format(java.util.Locale.ROOT, "%.0f", submitted / seconds))
                .save();
    }

    /** Takes tenants whose previous job has ended and requests their next one from a random engine. */
    private void submit(List<TenantProvisioner> engines, FakeAwx awx, BlockingQueue<Plan> ready,
            Map<String, Plan> active, CountDownLatch finished, List<String> submitted, List<Throwable> errors,
            Random random) {
        try {
            while (finished.getCount() > 0 && errors.isEmpty()) {
                Plan plan = ready.poll(50, TimeUnit.MILLISECONDS);
                if (plan == null) {
                    continue;
                }
                awx.defaultScript(randomScript(random));
                Operation operation = plan.next(random);
                active.put(plan.tenant, plan);
                ProvisioningJob job = engines.get(random.nextInt(engines.size())).request(
                        ProvisioningRequest.builder(plan.tenant).operation(operation)
                                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                                .releaseVersion(operation == Operation.UPGRADE ? "3." + plan.remaining + ".0" : null)
                                .requestedBy("multinode-test").build());
                submitted.add(job.id());
                if (submitted.size() % 500 == 0) {
                    awx.clearCalls(); // the fake keeps every call in a copy-on-write list; faults are counted here
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private static RunScript randomScript(Random random) {
        double r = random.nextDouble();
        if (r < 0.82) {
            return RunScript.succeedAfter(random.nextInt(4));
        }
        if (r < 0.94) {
            return RunScript.failAfter(random.nextInt(3), "Start tenant stack", "dc1-node-" + random.nextInt(9),
                    "docker compose up failed");
        }
        return r < 0.97 ? RunScript.vanishAfter(1) : RunScript.finishAfter(1, "error")
                .withExplanation("Job terminated due to error");
    }

    /**
     * Faults on a fraction of all requests; every launch is a candidate for a lost answer (the run starts, the
     * answer is a 502). The share of each fault is per request.
     */
    private void injectFaults(FakeAwx awx, Random random) {
        fault(awx, random, Fault.status(502).afterProcessing(), 0.03, c -> c.method().equals("POST")
                && c.path().endsWith("/launch/"));
        fault(awx, random, Fault.status(500), 0.01, c -> true);
        fault(awx, random, Fault.status(502), 0.01, c -> true);
        fault(awx, random, Fault.status(503), 0.005, c -> true);
        fault(awx, random, Fault.tooManyRequests(1), 0.005, c -> true);
        fault(awx, random, Fault.connectionReset(), 0.01, c -> true);
        fault(awx, random, Fault.readTimeout(), 0.001, c -> true);
        fault(awx, random, Fault.malformedJson(), 0.005, c -> c.method().equals("GET"));
    }

    private void fault(FakeAwx awx, Random random, Fault fault, double share, Predicate<RecordedCall> which) {
        AtomicLong count = faultsInjected.computeIfAbsent(fault.toString(), k -> new AtomicLong());
        awx.failNext(Integer.MAX_VALUE, fault, call -> {
            boolean hit = which.test(call) && random.nextDouble() < share;
            if (hit) {
                count.incrementAndGet();
            }
            return hit;
        });
    }

    private static void verify(Schema db, FakeAwx awx, List<Plan> plans, List<String> submitted, int jobs) {
        assertThat(submitted).as("jobs submitted").hasSize(jobs).doesNotHaveDuplicates();
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs")).as("jobs stored").isEqualTo(jobs);
        Set<String> stored = Set.copyOf(db.rows("SELECT id FROM tenant_provisioning_jobs").stream()
                .map(r -> String.valueOf(r.get("id"))).toList());
        assertThat(stored).as("no submitted job is lost").containsAll(submitted);
        assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN ('queued', 'in_progress') "
                + "OR NOT tenant_status_applied OR lease_owner IS NOT NULL OR next_check_at IS NOT NULL"))
                .as("jobs not terminal, or with work or a lease left").isZero();
        Map<String, List<Long>> duplicates = Launches.duplicates(awx);
        assertThat(duplicates).as(() -> "provisioning_job_ids that started more than one AWX job; " + duplicates
                .keySet().stream().map(db::timeline).collect(java.util.stream.Collectors.joining("\n"))).isEmpty();
        Map<String, List<LaunchRecord>> runs = Launches.runsByJob(awx);
        for (Map<String, @Nullable Object> job : db.rows("SELECT id, status, error_code, awx_job_id FROM "
                + "tenant_provisioning_jobs")) {
            String id = String.valueOf(job.get("id"));
            Object awxJobId = job.get("awx_job_id");
            if (awxJobId == null) {
                assertThat(runs).as("job %s (%s %s) never recorded a run, so AWX must not have started one", id,
                        job.get("status"), job.get("error_code")).doesNotContainKey(id);
                continue;
            }
            assertThat(runs.get(id)).as("AWX runs of job %s", id).hasSize(1);
            assertThat(String.valueOf(runs.get(id).get(0).jobId())).as("job %s follows its run", id)
                    .isEqualTo(String.valueOf(awxJobId));
            String awxStatus = awx.job(Long.parseLong(String.valueOf(awxJobId))).map(v -> v.status()).orElse("gone");
            assertThat(expectedAwxStatus(String.valueOf(job.get("status")), String.valueOf(job.get("error_code"))))
                    .as("job %s ended %s %s; its AWX job is %s", id, job.get("status"), job.get("error_code"),
                            awxStatus)
                    .contains(awxStatus);
        }
        Map<String, String> statuses = db.tenantStatuses();
        for (Plan plan : plans) {
            Map<String, @Nullable Object> last = db.rows("SELECT operation, status FROM tenant_provisioning_jobs "
                    + "WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT 1", plan.tenant).get(0);
            String expected = TenantStatusRules.tenantStatusFor(
                    Operation.fromWire(String.valueOf(last.get("operation"))),
                    JobStatus.fromWire(String.valueOf(last.get("status"))));
            assertThat(statuses.get(plan.tenant)).as("tenant %s after its last job (%s %s)", plan.tenant,
                    last.get("operation"), last.get("status")).isEqualTo(expected);
        }
    }

    private static List<String> expectedAwxStatus(String status, String errorCode) {
        return switch (status) {
            case "succeeded" -> List.of("successful");
            case "failed" -> switch (errorCode) {
                case "RUN_FAILED" -> List.of("failed");
                case "RUN_ERROR" -> List.of("error");
                case "RUN_LOST" -> List.of("gone");
                default -> List.of("(a failure before the run: " + errorCode + ")");
            };
            default -> List.of("(not expected here: " + status + ")");
        };
    }

    /** Job sequences per tenant: 1-7 jobs, 4 on average, adding up to the number of jobs asked for. */
    private static List<Plan> plans(int jobs, Random random) {
        List<Plan> plans = new ArrayList<>();
        int left = jobs;
        while (left > 0) {
            int count = Math.min(left, 1 + random.nextInt(7));
            plans.add(new Plan("mn-" + plans.size(), count));
            left -= count;
        }
        return plans;
    }

    /** A tenant's remaining jobs; changed by one thread at a time (handed over through the queue). */
    private static final class Plan {
        final String tenant;
        volatile int remaining;
        volatile String status = "new";

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
