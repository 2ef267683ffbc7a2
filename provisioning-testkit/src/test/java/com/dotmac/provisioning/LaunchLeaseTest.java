package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases around runner calls, and the bounded watch for late runs: two engines (nodes A and B) share a clock, a
 * repository and a scripted runner; node A's runner calls take time (they move the clock) and node B sweeps while
 * node A waits for the runner.
 */
class LaunchLeaseTest {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofSeconds(15);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryJobRepository repository = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock);
    private final SlowRunner slowRunner = new SlowRunner(scripted);
    private final ManualScheduler schedulerA = new ManualScheduler();
    private final ManualScheduler schedulerB = new ManualScheduler();
    private final TenantProvisioner nodeA = node("node-a", slowRunner, schedulerA);
    private final TenantProvisioner nodeB = node("node-b", scripted, schedulerB);

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aJobClaimedInABatchGetsAWholeLeaseForItsLaunch() {
        tenants.put("t1", "t1", "pending");
        tenants.put("t2", "t2", "pending");
        String first = nodeB.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        String second = nodeB.request(ProvisioningRequest.provision("t2", DeploymentMode.DOTMAC_HOSTED)).id();
        // node B's immediate processing never runs (as if node B died): once its leases ran out, node A claims
        // both jobs in one sweep
        schedulerB.close();
        clock.advance(LEASE.plusSeconds(1));

        // node A claims both at once; the first launch takes 50 s, the second 20 s, during which node B sweeps
        slowRunner.onLaunch("t1", () -> clock.advance(Duration.ofSeconds(50)));
        slowRunner.onLaunch("t2", () -> {
            clock.advance(Duration.ofSeconds(20));
            sweepB();
        });
        assertThat(nodeA.sweepNow()).isEqualTo(2);
        schedulerA.runPending();

        // 70 s after the claim, the claim's lease had run out; the lease renewed when the launch began had not
        assertThat(scripted.runsFor(second)).isEqualTo(1);
        assertThat(scripted.runsFor(first)).isEqualTo(1);
        assertThat(repository.find(second).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);
    }

    @Test
    void aLaunchAfterASlowSearchForAnEarlierRunGetsAWholeLease() {
        tenants.put("t1", "t1", "pending");
        scripted.script("t1", Script.succeedAfter(1).withTransientLaunchFailures(1));
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        schedulerA.runPending();
        assertThat(repository.find(job).orElseThrow().job().retryCount()).isEqualTo(1);

        // the second attempt first searches for the first one's run (40 s, many pages), then launches (30 s)
        slowRunner.onFindRuns("t1", () -> clock.advance(Duration.ofSeconds(40)));
        slowRunner.onLaunch("t1", () -> {
            clock.advance(Duration.ofSeconds(30));
            sweepB();
        });
        clock.advance(Duration.ofMinutes(3));
        assertThat(nodeA.sweepNow()).isEqualTo(1);
        schedulerA.runPending();

        assertThat(scripted.runsFor(job)).isEqualTo(1);
        assertThat(repository.find(job).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);
    }

    @Test
    void lateRunsAreLookedForOnlyForAWhileAfterALaunchThatFollowedUncertainAttempts() {
        tenants.put("t1", "t1", "pending");
        scripted.script("t1", Script.hang().withTransientLaunchFailures(1));
        String job = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        schedulerA.runPending();
        clock.advance(Duration.ofMinutes(1));
        nodeA.sweepNow();
        schedulerA.runPending();
        ProvisioningJob launched = repository.find(job).orElseThrow().job();
        assertThat(launched.status()).isEqualTo(JobStatus.IN_PROGRESS);
        int searchesAtLaunch = slowRunner.searches.get();

        // a run of the first attempt shows up a minute after the launch: the watch finds and cancels it
        for (int poll = 1; poll <= 120; poll++) { // 30 minutes of polls
            clock.advance(POLL);
            if (poll == 4) {
                scripted.launch(new LaunchSpec(launched, Map.of(PlaybookVariables.PROVISIONING_JOB_ID, job),
                        launched.createdAt()));
            }
            nodeA.sweepNow();
            schedulerA.runPending();
        }

        List<String> cancelled = scripted.cancelRequests();
        assertThat(cancelled).hasSize(1).doesNotContain(launched.runId());
        int searchesWhilePolling = slowRunner.searches.get() - searchesAtLaunch;
        // first poll, then every 30 s until 3 minutes after the launch: 7 looks, not one per poll (120)
        assertThat(searchesWhilePolling).isBetween(6, 8);
        assertThat(repository.find(job).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);
    }

    @Test
    void oneLookServesEveryWatchedJob() {
        List<String> jobs = new java.util.ArrayList<>();
        for (String tenant : List.of("t1", "t2", "t3")) {
            tenants.put(tenant, tenant, "pending");
            scripted.script(tenant, Script.hang().withTransientLaunchFailures(1));
            jobs.add(nodeA.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED)).id());
        }
        schedulerA.runPending();
        clock.advance(Duration.ofMinutes(1));
        nodeA.sweepNow();
        schedulerA.runPending();
        int searchesAtLaunch = slowRunner.searches.get();

        // a late run of each job's first attempt; one look (one runner call) finds and cancels all three
        for (String job : jobs) {
            ProvisioningJob launched = repository.find(job).orElseThrow().job();
            scripted.launch(new LaunchSpec(launched, Map.of(PlaybookVariables.PROVISIONING_JOB_ID, job),
                    launched.createdAt()));
        }
        clock.advance(POLL);
        nodeA.sweepNow();
        schedulerA.runPending();

        assertThat(slowRunner.searches.get() - searchesAtLaunch).isEqualTo(1);
        assertThat(scripted.cancelRequests()).hasSize(3);
        assertThat(jobs).allSatisfy(job -> assertThat(scripted.cancelRequests())
                .doesNotContain(repository.find(job).orElseThrow().job().runId()));
    }

    private void sweepB() {
        nodeB.sweepNow();
        schedulerB.runPending();
    }

    private TenantProvisioner node(String nodeId, AutomationRunner runner, ManualScheduler scheduler) {
        TenantProvisioner provisioner = TenantProvisioner.builder()
                .repository(repository)
                .tenantDirectory(tenants)
                .runner(runner)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId(nodeId)
                .leaseDuration(LEASE)
                .pollInterval(POLL)
                .jobTimeout(Duration.ofHours(2))
                .retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(2))
                .jitter(() -> 0.5)
                .build();
        provisioner.start();
        return provisioner;
    }
}
