package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's threads with the default scheduler and settings (issue 19 goal 5), for a runner whose calls end when
 * interrupted ({@code callsEndWhenInterrupted}): a runner call runs on the engine's thread that makes it (no second
 * thread waits for it), the lease heartbeat and the calls' time bounds share one timer thread, so runner calls in
 * progress add no thread; a call given up that ignores interrupts after all does not stall the scheduler's other
 * work; a call given up leaves no interrupt behind on the engine's thread.
 */
class EngineThreadsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock);
    private final List<TenantProvisioner> nodes = new ArrayList<>();
    private final CountDownLatch endOfTest = new CountDownLatch(1);
    private final Set<Thread> before = Thread.getAllStackTraces().keySet();

    @AfterEach
    void close() {
        endOfTest.countDown();
        nodes.forEach(TenantProvisioner::close);
    }

    @Test
    void runnerCallsInProgressAddNoThreadToTheDefaultScheduler() {
        GatedLaunches gated = new GatedLaunches(scripted);
        TenantProvisioner node = node(gated, b -> b);
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            tenants.put("t" + i, "t" + i, "pending");
            scripted.script("t" + i, Script.hang());
            jobs.add(node.request(ProvisioningRequest.provision("t" + i, DeploymentMode.DOTMAC_HOSTED)).id());
        }

        await().atMost(WAIT).until(() -> gated.callers.size() == 3);
        Set<String> engineThreads = newEngineThreads();
        gated.gate.release(100);
        await().atMost(WAIT).until(() -> jobs.stream()
                .allMatch(id -> stored.find(id).orElseThrow().job().status() == JobStatus.IN_PROGRESS));

        assertThat(gated.callers).as("the launches run on the scheduler's threads that make them")
                .allMatch(name -> name.matches("provisioning-\\d+-\\d+"));
        assertThat(engineThreads).as("the engine's threads while 3 launches are in the runner: 3 of the scheduler's, "
                + "its timer (heartbeat and call time bounds)").hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void callsGivenUpThatIgnoreInterruptsDoNotStallTheDefaultSchedulersOtherWork() {
        StuckLaunches stuck = new StuckLaunches(scripted, Set.of("t1", "t2", "t3"));
        TenantProvisioner node = node(stuck, b -> b.runnerCallTimeout(Duration.ofMillis(300))
                .retryDelays(Duration.ofMinutes(1), Duration.ofMinutes(5)));
        List<String> stuckJobs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            tenants.put("t" + i, "t" + i, "pending");
            stuckJobs.add(node.request(ProvisioningRequest.provision("t" + i, DeploymentMode.DOTMAC_HOSTED)).id());
        }
        await().atMost(WAIT).until(() -> stuck.inside.size() == 3);
        tenants.put("t4", "t4", "pending");
        scripted.script("t4", Script.hang());
        String free = node.request(ProvisioningRequest.provision("t4", DeploymentMode.DOTMAC_HOSTED)).id();

        await().atMost(WAIT).until(() -> stored.find(free).orElseThrow().job().status() == JobStatus.IN_PROGRESS);
        assertThat(stuck.inside).as("the stuck calls ignore interrupts and are still in the runner").hasSize(3);
        assertThat(scripted.runsFor(free)).isEqualTo(1);

        endOfTest.countDown(); // the stuck calls return
        await().atMost(WAIT).until(() -> stuckJobs.stream().allMatch(id -> stored.events(id).stream()
                .anyMatch(e -> e.message().contains("did not return within PT0.3S (runnerCallTimeout)"))));
        stuckJobs.forEach(id -> assertThat(stored.find(id).orElseThrow().job().status()).isEqualTo(JobStatus.QUEUED));
        await().atMost(WAIT).until(() -> newEngineThreads().size() <= 4);
    }

    @Test
    void aCallGivenUpLeavesNoInterruptOnTheEngineThread() {
        ManualScheduler scheduler = new ManualScheduler();
        Set<String> interruptedAtEntry = ConcurrentHashMap.newKeySet();
        AutomationRunner runner = new ForwardingAutomationRunner(scripted) {
            @Override
            public boolean callsEndWhenInterrupted() {
                return true;
            }

            @Override
            public LaunchedRun launch(LaunchSpec spec) {
                if (Thread.currentThread().isInterrupted()) {
                    interruptedAtEntry.add(spec.job().tenantId());
                }
                if (spec.job().tenantId().equals("t1")) {
                    try {
                        Thread.sleep(WAIT.toMillis());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                return super.launch(spec);
            }
        };
        TenantProvisioner node = TenantProvisioner.builder().repository(stored).tenantDirectory(tenants)
                .runner(runner).scheduler(scheduler).clock(clock).nodeId("node-a").jitter(() -> 0.5)
                .runnerCallTimeout(Duration.ofMillis(200)).retryDelays(Duration.ofMinutes(1), Duration.ofMinutes(5))
                .build();
        node.start();
        nodes.add(node);
        tenants.put("t1", "t1", "pending");
        tenants.put("t2", "t2", "pending");
        scripted.script("t2", Script.hang());
        String first = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();
        assertThat(stored.events(first)).anyMatch(e -> e.message().contains("(runnerCallTimeout)"));
        assertThat(Thread.currentThread().isInterrupted()).as("the test's thread ran the call").isFalse();

        String second = node.request(ProvisioningRequest.provision("t2", DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();
        assertThat(stored.find(second).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(interruptedAtEntry).isEmpty();
    }

    /** @return the names of the engine's threads started during this test and alive now */
    private Set<String> newEngineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("provisioning-"))
                .map(Thread::getName).collect(Collectors.toSet());
    }

    private TenantProvisioner node(AutomationRunner runner, UnaryOperator<TenantProvisioner.Builder> customise) {
        TenantProvisioner provisioner = customise.apply(TenantProvisioner.builder()
                .repository(stored)
                .tenantDirectory(tenants)
                .runner(runner)
                .clock(clock)
                .nodeId("node-a")
                .jitter(() -> 0.5))
                .build();
        provisioner.start();
        nodes.add(provisioner);
        return provisioner;
    }

    /** Launches that wait for the test to open the gate, with the names of the threads that made them. */
    private static final class GatedLaunches extends ForwardingAutomationRunner {
        final Semaphore gate = new Semaphore(0);
        final Set<String> callers = ConcurrentHashMap.newKeySet();

        GatedLaunches(AutomationRunner delegate) {
            super(delegate);
        }

        @Override
        public boolean callsEndWhenInterrupted() {
            return true;
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            callers.add(Thread.currentThread().getName());
            gate.acquireUninterruptibly();
            return super.launch(spec);
        }
    }

    /**
     * Launches of some tenants that never return until the test releases them, ignoring interrupts, although the
     * runner says its calls end when interrupted.
     */
    private final class StuckLaunches extends ForwardingAutomationRunner {
        final Set<String> stuckTenants;
        final Set<String> inside = ConcurrentHashMap.newKeySet();

        StuckLaunches(AutomationRunner delegate, Set<String> tenants) {
            super(delegate);
            this.stuckTenants = tenants;
        }

        @Override
        public boolean callsEndWhenInterrupted() {
            return true;
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            String tenant = spec.job().tenantId();
            if (stuckTenants.contains(tenant)) {
                inside.add(tenant);
                boolean done = false;
                while (!done) {
                    try {
                        endOfTest.await();
                        done = true;
                    } catch (InterruptedException e) {
                        // stuck: ignores the interrupt
                    }
                }
                inside.remove(tenant);
                throw new IllegalStateException("the test ended");
            }
            return super.launch(spec);
        }
    }
}
