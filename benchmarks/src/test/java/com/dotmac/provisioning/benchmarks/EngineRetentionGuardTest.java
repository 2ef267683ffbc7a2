package com.dotmac.provisioning.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression guard: once its jobs have ended, the engine keeps nothing per job. Everything reachable from the
 * {@link TenantProvisioner} is measured ({@link RetainedGraph}: the JDK's maps, their nodes and tables, strings and
 * boxed values as much as the engine's own classes), except what the host handed in (repository, tenant directory,
 * runner, scheduler, clock, listener), which keep jobs by design. After {@value #WARMUP_ROUNDS} rounds of
 * {@value #JOBS} jobs (succeeding, failing, launched after transient failures; a cap on runs in flight; the
 * heartbeat run after every step) and again after {@value #ROUNDS} rounds, each time after a quiet period longer than
 * what the engine keeps for a bounded time (the stray-run watch of a job launched after uncertain attempts: three
 * minutes), the retained size must not have grown: a map that keeps one entry per job would grow by ten times
 * {@value #JOBS} entries. A failure names the classes whose objects grew.
 */
class EngineRetentionGuardTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final int JOBS = 20;
    private static final int WARMUP_ROUNDS = 4;
    private static final int ROUNDS = 14;
    /** Longer than the engine's time-bounded memory of ended jobs (the stray-run watch, three minutes). */
    private static final Duration QUIET = Duration.ofMinutes(5);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final InMemoryJobRepository repository = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock)
            .defaultScript(Script.succeedAfter(1));
    private final Completions completions = new Completions();

    @Test
    void retainedSizeDoesNotGrowWithTheJobsThatEnded() {
        TenantProvisioner engine = TenantProvisioner.builder()
                .repository(repository).tenantDirectory(tenants).runner(runner)
                .scheduler(scheduler).clock(clock).nodeId("guard-retention")
                .pollInterval(POLL).jobTimeout(Duration.ofHours(2)).maxConcurrentRuns(1000)
                .listener(completions).build();
        List<Object> host = List.of(repository, tenants, runner, scheduler, clock, completions);
        engine.start();
        try {
            for (int r = 0; r < WARMUP_ROUNDS; r++) {
                round(engine, r);
            }
            quietPeriod(engine);
            RetainedGraph.Size early = RetainedGraph.of(engine, host);
            for (int r = WARMUP_ROUNDS; r < ROUNDS; r++) {
                round(engine, r);
            }
            quietPeriod(engine);
            RetainedGraph.Size late = RetainedGraph.of(engine, host);
            print("after " + WARMUP_ROUNDS * JOBS + " jobs", early);
            print("after " + ROUNDS * JOBS + " jobs", late);

            // the walk reaches the engine's own maps (the heartbeat's held jobs, the poll failures' counts, ...)
            assertThat(late.byClass()).containsKeys(
                    "com.dotmac.provisioning.internal.engine.LeaseHeartbeat",
                    "com.dotmac.provisioning.internal.engine.PollFailures",
                    "java.util.concurrent.ConcurrentHashMap");
            assertThat(late.opaque()).as("maps and collections the walk could not enter")
                    .noneMatch(n -> n.contains("Map") || n.contains("List") || n.contains("Set")
                            || n.contains("Queue") || n.contains("Deque"));
            assertThat(late.bytes()).as("bytes the engine keeps after %d jobs against after %d; grew: %s",
                    ROUNDS * JOBS, WARMUP_ROUNDS * JOBS, late.changedSince(early))
                    .isLessThanOrEqualTo(early.bytes());
            assertThat(late.objects()).as("objects the engine keeps after %d jobs against after %d; grew: %s",
                    ROUNDS * JOBS, WARMUP_ROUNDS * JOBS, late.changedSince(early))
                    .isLessThanOrEqualTo(early.objects());
        } finally {
            engine.close();
        }
    }

    /** Requests {@value #JOBS} provisionings and steps the engine until each has ended and its tenant status is set. */
    private void round(TenantProvisioner engine, int round) {
        completions.reset();
        for (int i = 0; i < JOBS; i++) {
            String tenant = "t-" + round + "-" + i;
            tenants.put(tenant, tenant, "pending");
            if (i % 4 == 1) {
                runner.script(tenant, Script.failAfter(1, "install", "host-1", "boom"));
            } else if (i % 4 == 2) {
                runner.script(tenant, Script.succeedAfter(2).withTransientLaunchFailures(1));
            }
            engine.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED));
            scheduler.runPending();
            scheduler.runHeartbeats();
        }
        for (int step = 0; completions.completed() < JOBS; step++) {
            assertThat(step).as("steps until round %d ended", round).isLessThan(200);
            clock.advance(POLL);
            engine.sweepNow();
            scheduler.runPending();
            scheduler.runHeartbeats();
        }
        assertThat(completions.completed(JobStatus.SUCCEEDED)).isEqualTo(JOBS - JOBS / 4);
        assertThat(completions.completed(JobStatus.FAILED)).isEqualTo(JOBS / 4);
    }

    /**
     * Lets {@link #QUIET} pass, sweeping every poll interval: what the engine keeps for a bounded time after a job
     * (a job launched after uncertain attempts is watched for late runs for three minutes after its launch) ends.
     */
    private void quietPeriod(TenantProvisioner engine) {
        for (Duration waited = Duration.ZERO; waited.compareTo(QUIET) < 0; waited = waited.plus(POLL)) {
            clock.advance(POLL);
            engine.sweepNow();
            scheduler.runPending();
            scheduler.runHeartbeats();
        }
    }

    private static void print(String when, RetainedGraph.Size size) {
        System.out.printf(Locale.ROOT, "Engine graph %s: %d objects, %d bytes (estimated shallow sizes)%n", when,
                size.objects(), size.bytes());
        size.byClass().entrySet().stream()
                .sorted(Map.Entry.<String, RetainedGraph.Use>comparingByValue(
                        (a, b) -> Long.compare(b.bytes(), a.bytes())))
                .limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-90s %6d %8d B%n", e.getKey(),
                        e.getValue().objects(), e.getValue().bytes()));
        if (!size.opaque().isEmpty()) {
            System.out.println("  not entered (fields not readable): " + size.opaque());
        }
    }
}
