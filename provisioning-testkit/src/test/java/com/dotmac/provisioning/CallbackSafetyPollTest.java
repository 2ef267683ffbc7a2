package com.dotmac.provisioning;

import static com.dotmac.provisioning.ProvisioningRequest.provision;
import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * With callbacks on, a run in flight is polled only every {@link EngineSettings#callbackSafetyPollEvery()} poll
 * intervals (the safety poll for a lost callback) and at once after its callback; without callbacks every interval.
 * Deterministic: a manual scheduler, a mutable clock, and a runner that counts the polls of each run.
 */
class CallbackSafetyPollTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final Duration SWEEP = Duration.ofSeconds(2);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-poll-key".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final CountingRunner runner = new CountingRunner(new ScriptedAutomationRunner(clock).defaultScript(
            Script.hang()));

    private TenantProvisioner engine(boolean callbacks) {
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        tenants.put("acme", "acme", "pending");
        for (int i = 0; i < 3; i++) {
            tenants.put("acme-" + i, "acme-" + i, "pending");
        }
        TenantProvisioner.Builder b = TenantProvisioner.builder().repository(new InMemoryJobRepository())
                .runner(runner).tenantDirectory(tenants).scheduler(scheduler).clock(clock).nodeId("node-1")
                .pollInterval(POLL).sweepInterval(SWEEP).jobTimeout(Duration.ofHours(2)).callbackSafetyPollEvery(4);
        if (callbacks) {
            b.callback(new CallbackSettings("https://platform.example.com/api/v1/tenants/{tenant_id}/provisioning/jobs/"
                    + "{job_id}/callback", SECRET));
        }
        TenantProvisioner p = b.build();
        p.start();
        return p;
    }

    private void step(TenantProvisioner p) {
        scheduler.runPending();
        p.sweepNow();
        scheduler.runPending();
    }

    private void advance(TenantProvisioner p, Duration d) {
        clock.advance(d);
        step(p);
    }

    /** Requests a job and takes it through its launch and its first poll (one poll interval later). */
    private String launchedAndPolledOnce(TenantProvisioner p) {
        String jobId = p.request(provision("acme", DeploymentMode.DOTMAC_HOSTED)).id();
        step(p);
        assertThat(runner.runOf(jobId)).isNotNull();
        advance(p, POLL);
        assertThat(runner.polls(jobId)).isEqualTo(1);
        return jobId;
    }

    private JobStatus status(TenantProvisioner p, String jobId) {
        return p.job(jobId).orElseThrow().status();
    }

    @Test
    void withCallbacksARunningJobIsPolledOnceInFourPollIntervals() {
        TenantProvisioner p = engine(true);
        String jobId = launchedAndPolledOnce(p);

        for (int i = 0; i < 4; i++) {
            advance(p, POLL);
        }

        assertThat(runner.polls(jobId)).isEqualTo(2);
        assertThat(status(p, jobId)).isEqualTo(JobStatus.IN_PROGRESS);
    }

    /**
     * The default (issue 19's goal of at most 1.05 AWX requests per job for 1,000 runs of 600 s with a 15 s poll
     * needs a safety poll no more often than every 5th interval): a run is polled after its first interval, then
     * once in the next five, and a lost callback is seen at that safety poll.
     */
    @Test
    void byDefaultARunningJobIsPolledOnceInFivePollIntervalsAndALostCallbackIsSeenAtThatPoll() {
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        tenants.put("acme", "acme", "pending");
        TenantProvisioner p = TenantProvisioner.builder().repository(new InMemoryJobRepository()).runner(runner)
                .tenantDirectory(tenants).scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL)
                .sweepInterval(SWEEP).jobTimeout(Duration.ofHours(2))
                .callback(new CallbackSettings("https://platform.example.com/cb/{tenant_id}/{job_id}", SECRET)).build();
        p.start();
        String jobId = launchedAndPolledOnce(p);

        for (int i = 0; i < 4; i++) {
            advance(p, POLL);
        }
        assertThat(runner.polls(jobId)).as("no safety poll within four intervals of the first poll").isEqualTo(1);
        runner.end(jobId);
        advance(p, POLL);

        assertThat(runner.polls(jobId)).isEqualTo(2);
        assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aCallbackAtTheEndEndsTheJobWithinOneSweep() {
        TenantProvisioner p = engine(true);
        String jobId = launchedAndPolledOnce(p);
        advance(p, POLL);

        runner.end(jobId);
        p.acceptCallback(jobId, p.callbackToken(jobId), new CallbackReport("successful", null, Map.of()));
        step(p);

        assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aCallbackJustBeforeTheEndEndsTheJobOneSweepAfterTheRunEnds() {
        TenantProvisioner p = engine(true);
        String jobId = launchedAndPolledOnce(p);
        advance(p, POLL);

        p.acceptCallback(jobId, p.callbackToken(jobId), new CallbackReport("successful", null, Map.of()));
        step(p);
        assertThat(status(p, jobId)).isEqualTo(JobStatus.IN_PROGRESS);
        runner.end(jobId);
        advance(p, SWEEP);

        assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void callbacksThatArriveTogetherArePolledInOneRunnerCall() {
        TenantProvisioner p = engine(true);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(p.request(provision("acme-" + i, DeploymentMode.DOTMAC_HOSTED)).id());
        }
        step(p);
        advance(p, POLL);
        int callsBefore = runner.pollCalls();

        for (String jobId : jobs) {
            runner.end(jobId);
            p.acceptCallback(jobId, p.callbackToken(jobId), new CallbackReport("successful", null, Map.of()));
        }
        scheduler.runPending();

        assertThat(runner.pollCalls() - callsBefore).isEqualTo(1);
        assertThat(jobs).allSatisfy(jobId -> assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED));
    }

    /**
     * The grid of the safety polls (multiples of the poll interval since the epoch) is fixed in absolute time, so
     * whether two runs share a grid point depends on where their polls fall against it, not only on how far apart
     * they are: what holds at any phase is that runs launched within one interval take at most two. Checked at
     * every whole-second phase of the clock against the grid, eight runs launched 2 s apart.
     */
    @Test
    void aClaimThatFailsInTheCallbacksPollLeavesNoJobLeased() {
        AtomicBoolean failSecondClaim = new AtomicBoolean();
        AtomicInteger claims = new AtomicInteger();
        JobRepository repository = new ForwardingJobRepository(new InMemoryJobRepository()) {
            @Override
            public Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil) {
                if (failSecondClaim.get() && claims.incrementAndGet() == 2) {
                    failSecondClaim.set(false);
                    throw new IllegalStateException("the claim's statement failed");
                }
                return delegate().claim(jobId, owner, now, leaseUntil);
            }
        };
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        TenantProvisioner p = TenantProvisioner.builder().repository(repository).runner(runner)
                .tenantDirectory(tenants).scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL)
                .sweepInterval(SWEEP).callback(new CallbackSettings("https://platform.example.com/cb/{tenant_id}/"
                        + "{job_id}", SECRET)).build();
        p.start();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tenants.put("claim-" + i, "claim-" + i, "pending");
            jobs.add(p.request(provision("claim-" + i, DeploymentMode.DOTMAC_HOSTED)).id());
        }
        step(p);
        advance(p, POLL);

        failSecondClaim.set(true);
        for (String jobId : jobs) {
            runner.end(jobId);
            p.acceptCallback(jobId, p.callbackToken(jobId), new CallbackReport("successful", null, Map.of()));
        }
        scheduler.runPending();
        advance(p, SWEEP);

        assertThat(jobs).allSatisfy(jobId -> assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED));
    }

    @Test
    void safetyPollsOfRunsLaunchedWithinOneIntervalTakeAtMostTwoRunnerCallsAtAnyPhaseOfTheGrid() {
        for (int phase = 0; phase < POLL.toSeconds(); phase++) {
            MutableClock phased = new MutableClock(MutableClock.atFixedStart().instant().plusSeconds(phase));
            ManualScheduler manual = new ManualScheduler();
            CountingRunner counting = new CountingRunner(new ScriptedAutomationRunner(phased).defaultScript(
                    Script.hang()));
            InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
            TenantProvisioner p = TenantProvisioner.builder().repository(new InMemoryJobRepository())
                    .runner(counting).tenantDirectory(tenants).scheduler(manual).clock(phased).nodeId("node-1")
                    .pollInterval(POLL).sweepInterval(SWEEP).jobTimeout(Duration.ofHours(2)).callbackSafetyPollEvery(4)
                    .callback(new CallbackSettings("https://platform.example.com/cb/{tenant_id}/{job_id}", SECRET))
                    .build();
            p.start();
            Runnable sweep = () -> {
                phased.advance(SWEEP);
                manual.runPending();
                p.sweepNow();
                manual.runPending();
            };
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tenants.put("grid-" + i, "grid-" + i, "pending");
                jobs.add(p.request(provision("grid-" + i, DeploymentMode.DOTMAC_HOSTED)).id());
                manual.runPending();
                sweep.run();
            }
            while (jobs.stream().anyMatch(jobId -> counting.polls(jobId) == 0)) {
                sweep.run();
            }
            // every run has had its first poll (one interval after its launch); the next is its safety poll, on
            // the grid, and after it one every four intervals on the same grid point
            int callsBefore = counting.pollCalls();
            for (int i = 0; i < POLL.multipliedBy(4).dividedBy(SWEEP); i++) {
                sweep.run();
            }

            int atPhase = phase;
            assertThat(jobs).as("phase %d s", atPhase)
                    .allSatisfy(jobId -> assertThat(counting.polls(jobId)).as("phase %d s", atPhase).isEqualTo(2));
            assertThat(counting.pollCalls() - callsBefore).as("phase %d s", atPhase).isBetween(1, 2);
            p.close();
        }
    }

    @Test
    void aLostCallbackIsCaughtByTheSafetyPollWithinFourIntervals() {
        TenantProvisioner p = engine(true);
        String jobId = launchedAndPolledOnce(p);

        runner.end(jobId);
        for (int i = 0; i < 4; i++) {
            advance(p, POLL);
        }

        assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(runner.polls(jobId)).isEqualTo(2);
    }

    @Test
    void withoutCallbacksARunningJobIsPolledEveryInterval() {
        TenantProvisioner p = engine(false);
        String jobId = launchedAndPolledOnce(p);

        for (int i = 0; i < 4; i++) {
            advance(p, POLL);
        }

        assertThat(runner.polls(jobId)).isEqualTo(5);
    }

    @Test
    void aSafetyPollEveryOfOnePollsEveryIntervalWithCallbacks() {
        TenantProvisioner p = engineWithSafetyPollEveryOne();
        String jobId = launchedAndPolledOnce(p);

        for (int i = 0; i < 4; i++) {
            advance(p, POLL);
        }

        assertThat(runner.polls(jobId)).isEqualTo(5);
    }

    @Test
    void withASafetyPollEveryOfOneALostCallbackIsCaughtWithinOneInterval() {
        TenantProvisioner p = engineWithSafetyPollEveryOne();
        String jobId = launchedAndPolledOnce(p);

        runner.end(jobId);
        advance(p, POLL);

        assertThat(status(p, jobId)).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(runner.polls(jobId)).isEqualTo(2);
    }

    private TenantProvisioner engineWithSafetyPollEveryOne() {
        TenantProvisioner p = TenantProvisioner.builder().repository(new InMemoryJobRepository()).runner(runner)
                .tenantDirectory(tenants()).scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL)
                .sweepInterval(SWEEP).callbackSafetyPollEvery(1)
                .callback(new CallbackSettings("https://platform.example.com/cb/{tenant_id}/{job_id}", SECRET)).build();
        p.start();
        return p;
    }

    private static InMemoryTenantDirectory tenants() {
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        tenants.put("acme", "acme", "pending");
        return tenants;
    }

    /** Delegates to a scripted runner, counts each run's polls, and reports the runs it was told to end as done. */
    private static final class CountingRunner implements AutomationRunner {
        private final ScriptedAutomationRunner delegate;
        private final Map<String, String> runOfJob = new HashMap<>();
        private final Map<String, Integer> polls = new HashMap<>();
        private final Set<String> ended = new HashSet<>();
        private int pollCalls;

        CountingRunner(ScriptedAutomationRunner delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized LaunchedRun launch(LaunchSpec spec) {
            LaunchedRun run = delegate.launch(spec);
            runOfJob.put(spec.job().id(), run.runId());
            return run;
        }

        @Override
        public List<LaunchedRun> findRuns(LaunchSpec spec) {
            return delegate.findRuns(spec);
        }

        @Override
        public synchronized Map<String, RunStatus> poll(Collection<String> runIds) {
            pollCalls++;
            Map<String, RunStatus> result = new HashMap<>(delegate.poll(runIds));
            for (String id : runIds) {
                polls.merge(id, 1, Integer::sum);
                if (ended.contains(id)) {
                    result.put(id, RunStatus.succeeded(Map.of()));
                }
            }
            return result;
        }

        @Override
        public void cancel(String runId) {
            delegate.cancel(runId);
        }

        synchronized String runOf(String jobId) {
            return runOfJob.get(jobId);
        }

        synchronized int polls(String jobId) {
            return polls.getOrDefault(runOfJob.get(jobId), 0);
        }

        synchronized int pollCalls() {
            return pollCalls;
        }

        synchronized void end(String jobId) {
            ended.add(runOfJob.get(jobId));
        }
    }
}
