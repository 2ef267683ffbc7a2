package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request's new job is inserted with its first launch attempt fenced ({@code launch_pending_since}), so that the
 * node that hands it to its scheduler launches it without a "launch pending" write of its own (issue 19 goals 1-2,
 * round 2): two job updates per lifecycle (launched, ended), not three. The attempt's event, its count and the
 * request's tenant status are recorded by the write after the runner call. A node that dies between the insert and
 * that write leaves a fenced job: the node that takes it over looks for its run before launching. A launch that
 * does not happen (the directory refuses the status, the scheduler refuses the job) clears the fence.
 */
class FencedFirstLaunchTest {
    private static final Duration LEASE = SharedStateNodes.LEASE;
    private static final Duration POLL = SharedStateNodes.POLL;

    private final SharedStateNodes shared = new SharedStateNodes();
    private final MutableClock clock = shared.clock;
    private final JobWriteCounter repository = shared.repository;
    private final RecordingTenantDirectory tenants = shared.tenants;
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock)
            .defaultScript(Script.succeedAfter(0));
    private final Searches runner = new Searches(scripted);

    @AfterEach
    void close() {
        shared.close();
    }

    @Test
    void aRequestsLifecycleUpdatesItsJobTwice() {
        ManualScheduler scheduler = new ManualScheduler();
        TenantProvisioner node = node("node-a", scheduler, b -> { });
        tenants.put("t1");

        String id = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();
        assertThat(repository.stored(id).job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(repository.writesOf(id)).as("one update up to the run: launched").isEqualTo(1);
        for (int i = 0; i < 4 && !repository.stored(id).job().status().isTerminal(); i++) {
            clock.advance(POLL);
            node.sweepNow();
            scheduler.runPending();
        }

        StoredJob done = repository.stored(id);
        assertThat(done.job().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(repository.writesOf(id)).as("job updates after the insert: launched, ended").isEqualTo(2);
        assertThat(types(id)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED,
                JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED, JobEventType.STATUS_CHANGED,
                JobEventType.TENANT_STATUS_APPLIED);
        assertThat(repository.events(id).get(2).data()).containsEntry("attempt", 1L);
        assertThat(done.job().retryCount()).isEqualTo(1);
        assertThat(done.launchPendingSince()).isNull();
        assertThat(done.tenantStatusApplied()).isTrue();
        assertThat(runner.searches()).as("its own node knows no runner was called: nothing to look for").isZero();
        assertThat(scripted.runsFor(id)).isEqualTo(1);
    }

    @Test
    void aNodeThatDiesAfterTheLaunchCallLeavesTheRunToBeFoundByTheNodeThatTakesOver() {
        ManualScheduler schedulerA = new ManualScheduler();
        ManualScheduler schedulerB = new ManualScheduler();
        TenantProvisioner nodeA = node("node-a", schedulerA, b -> { });
        TenantProvisioner nodeB = node("node-b", schedulerB, b -> { });
        tenants.put("t1");
        scripted.script("t1", Script.hang());

        String id = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        // node A launches the run, then cannot write it (and dies): the job keeps the fence of its insert
        repository.failNextCommitOf(id);
        schedulerA.runPending();
        schedulerA.close();
        assertThat(scripted.runsFor(id)).isEqualTo(1);
        StoredJob fenced = repository.stored(id);
        assertThat(fenced.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(fenced.launchPendingSince()).isNotNull();

        clock.advance(LEASE.plusSeconds(1));
        assertThat(nodeB.sweepNow()).isEqualTo(1);
        schedulerB.runPending();

        StoredJob found = repository.stored(id);
        assertThat(found.job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(runner.searches()).as("node B looked for the run before launching").isEqualTo(1);
        assertThat(scripted.runsFor(id)).as("and found it: no second run").isEqualTo(1);
        assertThat(found.tenantStatusApplied()).isTrue();
        assertThat(tenants.applied("t1")).as("applied again by node B (idempotent)")
                .containsExactly(TenantStatus.PROVISIONING, TenantStatus.PROVISIONING);
        assertThat(types(id)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED,
                JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED);
    }

    @Test
    void aStatusTheDirectoryRefusesClearsTheFenceAndUsesNoAttempt() {
        ManualScheduler scheduler = new ManualScheduler();
        TenantProvisioner node = node("node-a", scheduler, b -> b.maxLaunchAttempts(1));
        tenants.put("t1");
        tenants.refuse.set(true);

        String id = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        StoredJob refused = repository.stored(id);
        assertThat(refused.launchPendingSince()).as("no runner was called").isNull();
        assertThat(refused.job().retryCount()).isZero();

        tenants.refuse.set(false);
        for (int i = 0; i < 4 && repository.stored(id).job().status() == JobStatus.QUEUED; i++) {
            clock.advance(Duration.ofSeconds(11));
            node.sweepNow();
            scheduler.runPending();
        }
        assertThat(repository.stored(id).job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(runner.searches()).isZero();
        assertThat(scripted.runsFor(id)).isEqualTo(1);
    }

    @Test
    void aJobTheSchedulerRefusesIsReleasedWithoutTheFence() {
        ManualScheduler schedulerA = new ManualScheduler();
        ManualScheduler schedulerB = new ManualScheduler();
        TenantProvisioner nodeA = node("node-a", schedulerA, b -> { });
        TenantProvisioner nodeB = node("node-b", schedulerB, b -> { });
        tenants.put("t1");
        schedulerA.close();

        String id = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        StoredJob released = repository.stored(id);
        assertThat(released.leaseOwner()).isNull();
        assertThat(released.launchPendingSince()).isNull();
        assertThat(released.tenantStatusApplied()).isTrue();

        assertThat(nodeB.sweepNow()).isEqualTo(1);
        schedulerB.runPending();
        assertThat(repository.stored(id).job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(runner.searches()).as("nothing was launched before: nothing to look for").isZero();
        assertThat(tenants.applied("t1")).containsExactly(TenantStatus.PROVISIONING);
        assertThat(types(id)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED,
                JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED);
    }

    @Test
    void aCancelOnAnotherNodeBeforeTheLaunchStopsTheRunTheCreatorLaunches() {
        ManualScheduler schedulerA = new ManualScheduler();
        ManualScheduler schedulerB = new ManualScheduler();
        TenantProvisioner nodeA = node("node-a", schedulerA, b -> { });
        TenantProvisioner nodeB = node("node-b", schedulerB, b -> { });
        tenants.put("t1");
        scripted.script("t1", Script.hang());

        String id = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        // node B cannot know whether node A called the runner yet: it asks for a stop
        assertThat(nodeB.cancel(id, "ops", null).status()).isEqualTo(JobStatus.QUEUED);
        schedulerB.runPending();
        schedulerA.runPending();
        for (int i = 0; i < 4 && !repository.stored(id).job().status().isTerminal(); i++) {
            clock.advance(POLL);
            nodeA.sweepNow();
            schedulerA.runPending();
        }

        StoredJob done = repository.stored(id);
        assertThat(done.job().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(scripted.runsFor(id)).isEqualTo(1);
        assertThat(scripted.cancelRequests()).containsExactly(done.job().runId());
        assertThat(done.job().retryCount()).as("the launch attempt counted").isEqualTo(1);
        assertThat(types(id)).contains(JobEventType.LAUNCH_PENDING, JobEventType.CANCEL_REQUESTED,
                JobEventType.RUN_CANCEL_SENT);
        assertThat(tenants.applied("t1")).endsWith(TenantStatus.FAILED_PROVISIONING);
    }

    private List<JobEventType> types(String jobId) {
        return shared.types(jobId);
    }

    private TenantProvisioner node(String nodeId, ManualScheduler scheduler,
            Consumer<TenantProvisioner.Builder> customise) {
        return shared.node(nodeId, scheduler, runner, customise);
    }

    /** Counts the searches for earlier attempts' runs. */
    private static final class Searches extends ForwardingAutomationRunner {
        private final AtomicInteger searches = new AtomicInteger();

        Searches(ScriptedAutomationRunner delegate) {
            super(delegate);
        }

        int searches() {
            return searches.get();
        }

        @Override
        public List<LaunchedRun> findRuns(LaunchSpec spec) {
            searches.incrementAndGet();
            return super.findRuns(spec);
        }

        @Override
        public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
            searches.addAndGet(specs.size());
            return super.findRunsOfJobs(specs);
        }
    }
}
