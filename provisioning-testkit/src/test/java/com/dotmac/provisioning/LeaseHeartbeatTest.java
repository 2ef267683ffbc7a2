package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.SimulatedCrash;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Short leases kept by a heartbeat, with the <b>default</b> lease settings (20 s, renewed every 5 s): a dead node's
 * jobs are taken over within 30 s, a live node keeps a job however long its runner call takes, and no runner call
 * outlives its deadline or the lease it was made under. Two engines (nodes A and B) share a clock, a repository and a
 * scripted runner; heartbeats run when the test says so ({@link ManualScheduler#runHeartbeats()}).
 */
class LeaseHeartbeatTest {
    private static final Duration TAKE_OVER_GOAL = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock);
    private final ManualScheduler schedulerA = new ManualScheduler();
    private final ManualScheduler schedulerB = new ManualScheduler();
    private final List<TenantProvisioner> nodes = new ArrayList<>();
    private final CountDownLatch releaseLaunch = new CountDownLatch(1);

    @AfterEach
    void close() {
        releaseLaunch.countDown();
        nodes.forEach(TenantProvisioner::close);
    }

    @Test
    void theDefaultLeaseLetsAnotherNodeTakeOverADeadNodesJobWithinThirtySeconds() {
        assertThat(EngineSettings.DEFAULT_LEASE_DURATION.plus(EngineSettings.DEFAULT_SWEEP_INTERVAL))
                .isLessThanOrEqualTo(TAKE_OVER_GOAL);
        tenants.put("t1", "t1", "pending");
        DiesOnPoll dying = new DiesOnPoll(scripted);
        TenantProvisioner nodeA = node("node-a", dying, schedulerA, b -> b);
        TenantProvisioner nodeB = node("node-b", scripted, schedulerB, b -> b);
        scripted.script("t1", Script.succeedAfter(0));
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        schedulerA.runPending();
        assertThat(stored.find(job).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);

        // the run ends at once; node A claims the job for its next poll and dies in the middle of it (its heartbeat dies with it)
        clock.advance(EngineSettings.DEFAULT_POLL_INTERVAL);
        Instant died = clock.instant();
        assertThatThrownBy(nodeA::sweepNow).isInstanceOf(SimulatedCrash.class);
        assertThat(stored.find(job).orElseThrow().leaseOwner()).isEqualTo("node-a");

        clock.advance(EngineSettings.DEFAULT_LEASE_DURATION.minusSeconds(1));
        assertThat(nodeB.sweepNow()).as("node A's lease still runs").isZero();
        clock.advance(Duration.ofSeconds(1).plus(EngineSettings.DEFAULT_SWEEP_INTERVAL));
        assertThat(nodeB.sweepNow()).as("node B's next sweep after the lease ran out takes the job").isEqualTo(1);
        schedulerB.runPending();

        StoredJob after = stored.find(job).orElseThrow();
        assertThat(after.job().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Duration.between(died, after.job().finishedAt())).isLessThanOrEqualTo(TAKE_OVER_GOAL);
        assertThat(scripted.runsFor(job)).isEqualTo(1);
    }

    @Test
    void aLiveNodeKeepsAJobWhoseLaunchTakesLongerThanTheLease() {
        tenants.put("t1", "t1", "pending");
        SlowRunner slow = new SlowRunner(scripted);
        TenantProvisioner nodeA = node("node-a", slow, schedulerA, b -> b);
        TenantProvisioner nodeB = node("node-b", scripted, schedulerB, b -> b);
        // node A's launch takes two minutes (six leases); its heartbeat beats every 5 s meanwhile, and node B sweeps
        // after every beat
        slow.onLaunch("t1", () -> {
            for (int beat = 0; beat < 24; beat++) {
                clock.advance(EngineSettings.DEFAULT_LEASE_DURATION.dividedBy(4));
                schedulerA.runHeartbeats();
                nodeB.sweepNow();
                schedulerB.runPending();
            }
        });
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        schedulerA.runPending();

        assertThat(scripted.runsFor(job)).as("node B never launched the job node A was launching").isEqualTo(1);
        StoredJob after = stored.find(job).orElseThrow();
        assertThat(after.job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(stored.events(job)).extracting(e -> e.type()).doesNotContain(JobEventType.LAUNCH_RETRY_SCHEDULED);
    }

    @Test
    void aNodeClosedMidLaunchKeepsTheJobsLeaseUntilTheLaunchIsRecordedThenStopsItsHeartbeat() {
        tenants.put("t1", "t1", "pending");
        SlowRunner slow = new SlowRunner(scripted);
        TenantProvisioner nodeA = node("node-a", slow, schedulerA, b -> b);
        TenantProvisioner nodeB = node("node-b", scripted, schedulerB, b -> b);
        // the host closes node A while its launch is in flight; the launch takes a minute (three leases) more
        slow.onLaunch("t1", () -> {
            nodeA.close();
            for (int beat = 0; beat < 12; beat++) {
                clock.advance(EngineSettings.DEFAULT_LEASE_DURATION.dividedBy(4));
                schedulerA.runHeartbeats();
                nodeB.sweepNow();
                schedulerB.runPending();
            }
        });
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        schedulerA.runPending();

        assertThat(scripted.runsFor(job)).as("node B never launched the job node A was still launching").isEqualTo(1);
        StoredJob after = stored.find(job).orElseThrow();
        assertThat(after.job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(after.job().runId()).isNotNull();
        assertThat(stored.events(job)).extracting(e -> e.type()).doesNotContain(JobEventType.LAUNCH_RETRY_SCHEDULED);
        assertThat(schedulerA.runHeartbeats()).as("the first beat after the job was let go").isEqualTo(1);
        assertThat(schedulerA.runHeartbeats()).as("node A's heartbeat after that beat").isZero();
    }

    @Test
    void aRunnerCallIsGivenUpAfterTheRunnerCallTimeoutAndTheLaunchIsLookedForBeforeTheNextAttempt() {
        tenants.put("t1", "t1", "pending");
        BlockingLaunches blocking = new BlockingLaunches(scripted);
        TenantProvisioner nodeA = node("node-a", blocking, schedulerA,
                b -> b.runnerCallTimeout(Duration.ofMillis(200)).retryDelays(Duration.ofSeconds(10),
                        Duration.ofMinutes(1)));
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();

        schedulerA.runPending(); // returns once the launch is given up

        // the call given up is interrupted on its own thread (or, had it not started yet, never runs)
        await().atMost(Duration.ofSeconds(30)).until(() -> blocking.interrupted || blocking.entered.getCount() == 1);
        assertThat(blocking.completed).as("the launch given up never completed").isZero();
        StoredJob waiting = stored.find(job).orElseThrow();
        assertThat(waiting.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.launchPendingSince()).as("the launch may have happened").isNotNull();
        assertThat(stored.events(job)).anySatisfy(e -> assertThat(e.message())
                .contains("did not return within PT0.2S (runnerCallTimeout)"));

        blocking.block = false;
        clock.advance(Duration.ofMinutes(1));
        nodeA.sweepNow();
        schedulerA.runPending();
        assertThat(stored.find(job).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(scripted.runsFor(job)).isEqualTo(1);
    }

    @Test
    void aRunnerCallIsGivenUpBeforeALeaseThatCannotBeRenewedRunsOut() throws Exception {
        tenants.put("t1", "t1", "pending");
        BlockingLaunches blocking = new BlockingLaunches(scripted);
        RenewalsFail repository = new RenewalsFail(stored);
        TenantProvisioner nodeA = node("node-a", blocking, schedulerA, b -> b.repository(repository));
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        CompletableFuture<Integer> work = CompletableFuture.supplyAsync(schedulerA::runPending);
        assertThat(blocking.entered.await(30, TimeUnit.SECONDS)).as("the launch began").isTrue();

        clock.advance(Duration.ofSeconds(5));
        schedulerA.runHeartbeats(); // fails; 15 s of the lease are left
        assertThat(work).isNotDone();
        clock.advance(Duration.ofSeconds(10));
        schedulerA.runHeartbeats(); // fails again; a quarter of the lease is left: the call is given up

        assertThat(work.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(repository.failedRenewals).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> blocking.interrupted);
        assertThat(blocking.completed).isZero();
        assertThat(stored.find(job).orElseThrow().job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored.events(job)).anySatisfy(e -> assertThat(e.message())
                .contains("this node could not keep the job's lease"));
        assertThat(scripted.runsFor(job)).isZero();
    }

    private TenantProvisioner node(String nodeId, AutomationRunner runner, ManualScheduler scheduler,
            UnaryOperator<TenantProvisioner.Builder> customise) {
        TenantProvisioner provisioner = customise.apply(TenantProvisioner.builder()
                .repository(stored)
                .tenantDirectory(tenants)
                .runner(runner)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId(nodeId)
                .jitter(() -> 0.5))
                .build();
        provisioner.start();
        nodes.add(provisioner);
        return provisioner;
    }

    /** Launches that block until released (or interrupted) while {@link #block} is set. */
    private final class BlockingLaunches extends ForwardingAutomationRunner {
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean block = true;
        volatile boolean interrupted;
        volatile int completed;

        BlockingLaunches(AutomationRunner delegate) {
            super(delegate);
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            if (block) {
                entered.countDown();
                try {
                    releaseLaunch.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("launch interrupted", e);
                }
                completed++;
            }
            return super.launch(spec);
        }
    }

    /** Polls that kill the node: the engine's JVM dies in the middle of a poll. */
    private static final class DiesOnPoll extends ForwardingAutomationRunner {
        DiesOnPoll(AutomationRunner delegate) {
            super(delegate);
        }

        @Override
        public Map<String, RunStatus> poll(Collection<String> runIds) {
            throw new SimulatedCrash("node died while polling " + runIds);
        }
    }

    /** A repository whose lease renewals fail, as when the database cannot be reached for a while. */
    private static final class RenewalsFail extends ForwardingJobRepository {
        volatile int failedRenewals;

        RenewalsFail(JobRepository delegate) {
            super(delegate);
        }

        @Override
        public Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
            failedRenewals++;
            throw new IllegalStateException("database unreachable");
        }
    }
}
