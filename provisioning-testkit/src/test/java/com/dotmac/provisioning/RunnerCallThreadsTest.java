package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner-call pool is bounded by {@code runnerCallThreads}: calls beyond it wait for one to end, and a call stuck
 * in the runner past its {@code runnerCallTimeout} no longer counts, so it cannot hold up the calls behind it. The
 * engine runs on a real scheduler of 8 threads, so that more launches than the bound are made at once.
 */
class RunnerCallThreadsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock);
    private final List<TenantProvisioner> nodes = new ArrayList<>();
    private final CountDownLatch endOfTest = new CountDownLatch(1);

    @AfterEach
    void close() {
        endOfTest.countDown();
        nodes.forEach(TenantProvisioner::close);
    }

    @Test
    void atMostRunnerCallThreadsCallsRunAtOnceAndTheOthersWaitAndComplete() {
        GatedLaunches gated = new GatedLaunches(scripted);
        TenantProvisioner node = node(gated, b -> b.runnerCallThreads(2));
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            tenants.put("t" + i, "t" + i, "pending");
            scripted.script("t" + i, Script.hang());
            jobs.add(node.request(ProvisioningRequest.provision("t" + i, DeploymentMode.DOTMAC_HOSTED)).id());
        }

        await().atMost(WAIT).until(() -> gated.entered.get() >= 2);
        assertThat(gated.mostAtOnce.get()).as("launches in the runner at once").isEqualTo(2);
        gated.gate.release(); // one launch ends: one waiting launch starts
        await().atMost(WAIT).until(() -> gated.entered.get() >= 3);
        gated.gate.release(100);

        await().atMost(WAIT).until(() -> jobs.stream()
                .allMatch(id -> stored.find(id).orElseThrow().job().status() == JobStatus.IN_PROGRESS));
        assertThat(gated.mostAtOnce.get()).as("launches in the runner at once").isEqualTo(2);
        jobs.forEach(id -> assertThat(scripted.runsFor(id)).isEqualTo(1));
    }

    @Test
    void aCallStuckPastItsTimeBoundIsGivenUpAndNoLongerHoldsUpTheCallsBehindIt() {
        StuckLaunches stuck = new StuckLaunches(scripted, "t1");
        TenantProvisioner node = node(stuck, b -> b.runnerCallThreads(1).runnerCallTimeout(Duration.ofMillis(300))
                .retryDelays(Duration.ofMinutes(1), Duration.ofMinutes(5)));
        tenants.put("t1", "t1", "pending");
        tenants.put("t2", "t2", "pending");
        scripted.script("t2", Script.hang());
        String first = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        await().atMost(WAIT).until(() -> stuck.entered.getCount() == 0);
        String second = node.request(ProvisioningRequest.provision("t2", DeploymentMode.DOTMAC_HOSTED)).id();

        await().atMost(WAIT).until(() -> stored.find(second).orElseThrow().job().status() == JobStatus.IN_PROGRESS);
        await().atMost(WAIT).until(() -> stored.events(first).stream()
                .anyMatch(e -> e.message().contains("did not return within PT0.3S (runnerCallTimeout)")));
        assertThat(stored.find(first).orElseThrow().job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stuck.stillInside).as("the stuck call ignores interrupts and is still in the runner").isTrue();
        assertThat(scripted.runsFor(second)).isEqualTo(1);
    }

    @Test
    void runnerCallThreadsMustBeAtLeastOne() {
        assertThatThrownBy(() -> TenantProvisioner.builder().repository(stored).tenantDirectory(tenants)
                .runner(scripted).runnerCallThreads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runnerCallThreads");
        assertThat(EngineSettings.defaults("n").runnerCallThreads())
                .isEqualTo(EngineSettings.DEFAULT_RUNNER_CALL_THREADS).isEqualTo(4);
    }

    private TenantProvisioner node(AutomationRunner runner, UnaryOperator<TenantProvisioner.Builder> customise) {
        TenantProvisioner provisioner = customise.apply(TenantProvisioner.builder()
                .repository(stored)
                .tenantDirectory(tenants)
                .runner(runner)
                .scheduler(new ExecutorScheduler(8, Duration.ofSeconds(5)))
                .clock(clock)
                .nodeId("node-a")
                .jitter(() -> 0.5))
                .build();
        provisioner.start();
        nodes.add(provisioner);
        return provisioner;
    }

    /** Launches that wait for the test to open the gate, counting how many are in the runner at once. */
    private static final class GatedLaunches extends ForwardingAutomationRunner {
        final Semaphore gate = new Semaphore(0);
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        GatedLaunches(AutomationRunner delegate) {
            super(delegate);
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
            entered.incrementAndGet();
            try {
                gate.acquireUninterruptibly();
                return super.launch(spec);
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    /** Launches of one tenant that never return until the test ends, ignoring interrupts. */
    private final class StuckLaunches extends ForwardingAutomationRunner {
        final CountDownLatch entered = new CountDownLatch(1);
        final Set<String> stuckTenants = ConcurrentHashMap.newKeySet();
        volatile boolean stillInside;

        StuckLaunches(AutomationRunner delegate, String tenant) {
            super(delegate);
            stuckTenants.add(tenant);
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            if (stuckTenants.contains(spec.job().tenantId())) {
                stillInside = true;
                entered.countDown();
                boolean done = false;
                while (!done) {
                    try {
                        endOfTest.await();
                        done = true;
                    } catch (InterruptedException e) {
                        // stuck: ignores the interrupt
                    }
                }
                stillInside = false;
                throw new IllegalStateException("the test ended");
            }
            return super.launch(spec);
        }
    }
}
