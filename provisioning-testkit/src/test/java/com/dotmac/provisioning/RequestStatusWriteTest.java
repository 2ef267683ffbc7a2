package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request's tenant status ({@code provisioning}) is recorded in the job's "launch pending" write, not in a write
 * of its own (docs/PERFORMANCE.md F5); since issue 19 round 2 the insert fences the launch and the "launched" write
 * records both (FencedFirstLaunchTest): one job write from the request to the run. Where no launch-pending write
 * follows (the cap holds the job back) the status is recorded with the job's release; where the node dies between
 * the directory's update and that write, the node that takes the job over applies the status again (idempotent) and
 * records it once. Two nodes share a clock, a repository, a tenant directory and a scripted runner.
 */
class RequestStatusWriteTest {
    private static final Duration LEASE = SharedStateNodes.LEASE;
    private static final Duration POLL = SharedStateNodes.POLL;

    private final SharedStateNodes shared = new SharedStateNodes();
    private final MutableClock clock = shared.clock;
    private final JobWriteCounter repository = shared.repository;
    private final RecordingTenantDirectory tenants = shared.tenants;
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock).defaultScript(Script.hang());

    @AfterEach
    void close() {
        shared.close();
    }

    @Test
    void aRequestWritesItsJobTwiceUpToItsRun() {
        ManualScheduler scheduler = new ManualScheduler();
        TenantProvisioner node = node("node-a", scheduler, b -> { });
        tenants.put("t1");

        String id = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        assertThat(tenants.statusOf("t1")).as("the request sets the tenant's status before it returns")
                .isEqualTo(TenantStatus.PROVISIONING);
        scheduler.runPending();

        assertThat(repository.stored(id).job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(repository.writesOf(id)).as("job writes after its insert: launched (with the tenant status "
                + "applied and the launch attempt its insert fenced)").isEqualTo(1);
        assertThat(types(id)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED,
                JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED);
        assertThat(repository.events(id).get(1).data()).containsEntry("tenant_status", TenantStatus.PROVISIONING);
        assertThat(repository.stored(id).tenantStatusApplied()).isTrue();
        assertThat(tenants.applied("t1")).containsExactly(TenantStatus.PROVISIONING);
    }

    @Test
    void aJobTheCapHoldsBackRecordsItsTenantStatusWithItsRelease() {
        ManualScheduler scheduler = new ManualScheduler();
        TenantProvisioner node = node("node-a", scheduler, b -> b.maxConcurrentRuns(1));
        tenants.put("t1");
        tenants.put("t2");
        String running = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();
        assertThat(repository.stored(running).job().status()).isEqualTo(JobStatus.IN_PROGRESS);

        String waiting = node.request(ProvisioningRequest.provision("t2", DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();

        StoredJob held = repository.stored(waiting);
        assertThat(held.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(held.tenantStatusApplied()).isTrue();
        assertThat(held.leaseOwner()).isNull();
        assertThat(held.nextCheckAt()).isEqualTo(clock.instant().plus(POLL));
        assertThat(repository.writesOf(waiting)).as("one write: the status applied and the job released").isEqualTo(1);
        assertThat(types(waiting)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED);

        // the next looks find the cap still full: nothing is applied or recorded again
        for (int i = 0; i < 3; i++) {
            clock.advance(POLL);
            node.sweepNow();
            scheduler.runPending();
        }
        assertThat(repository.stored(waiting).job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(types(waiting)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED);
        assertThat(tenants.applied("t2")).containsExactly(TenantStatus.PROVISIONING);

        // once the first run is cancelled, the queued job launches without applying its status again
        node.cancel(running, "ops", null);
        scheduler.runPending();
        for (int i = 0; i < 4 && repository.stored(waiting).job().status() == JobStatus.QUEUED; i++) {
            clock.advance(POLL);
            node.sweepNow();
            scheduler.runPending();
        }
        assertThat(repository.stored(waiting).job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(types(waiting)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED,
                JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED);
        assertThat(tenants.applied("t2")).containsExactly(TenantStatus.PROVISIONING);
    }

    @Test
    void aNodeThatDiesBeforeTheLaunchPendingWriteLeavesTheStatusToBeAppliedAgainAndRecordedOnce() {
        ManualScheduler schedulerA = new ManualScheduler();
        ManualScheduler schedulerB = new ManualScheduler();
        TenantProvisioner nodeA = node("node-a", schedulerA, b -> { });
        TenantProvisioner nodeB = node("node-b", schedulerB, b -> { });
        tenants.put("t1");

        String id = nodeA.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        // node A dies before its scheduler writes "launch pending": the directory has the status, the job does not
        schedulerA.close();
        assertThat(tenants.statusOf("t1")).isEqualTo(TenantStatus.PROVISIONING);
        assertThat(repository.stored(id).tenantStatusApplied()).isFalse();
        assertThat(types(id)).containsExactly(JobEventType.CREATED);

        // node B takes the job over when node A's lease ran out
        clock.advance(LEASE.plusSeconds(1));
        assertThat(nodeB.sweepNow()).isEqualTo(1);
        schedulerB.runPending();

        assertThat(repository.stored(id).job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(tenants.applied("t1")).as("applied again by node B (idempotent)")
                .containsExactly(TenantStatus.PROVISIONING, TenantStatus.PROVISIONING);
        assertThat(types(id)).as("recorded once").containsExactly(JobEventType.CREATED,
                JobEventType.TENANT_STATUS_APPLIED, JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED);
        assertThat(runner.runsFor(id)).isEqualTo(1);
    }

    @Test
    void aRefusedLaunchRecordsBothStatusesInOrder() {
        ManualScheduler scheduler = new ManualScheduler();
        TenantProvisioner node = node("node-a", scheduler, b -> { });
        tenants.put("t1");
        runner.script("t1", Script.rejectLaunch("TEMPLATE_NOT_FOUND", "no such template"));

        String id = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();

        assertThat(repository.stored(id).job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(types(id)).containsExactly(JobEventType.CREATED, JobEventType.TENANT_STATUS_APPLIED,
                JobEventType.LAUNCH_PENDING, JobEventType.STATUS_CHANGED, JobEventType.TENANT_STATUS_APPLIED);
        assertThat(tenants.applied("t1")).containsExactly(TenantStatus.PROVISIONING,
                TenantStatus.FAILED_PROVISIONING);
        assertThat(tenants.statusOf("t1")).isEqualTo(TenantStatus.FAILED_PROVISIONING);
    }

    @Test
    void aCancelBeforeTheLaunchLeavesTheTenantInTheCancelledStatus() {
        ManualScheduler scheduler = new ManualScheduler();
        TenantProvisioner node = node("node-a", scheduler, b -> { });
        tenants.put("t1");

        String id = node.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        node.cancel(id, "ops", "wrong tenant");
        scheduler.runPending();
        clock.advance(POLL);
        node.sweepNow();
        scheduler.runPending();

        StoredJob s = repository.stored(id);
        assertThat(s.job().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(s.tenantStatusApplied()).isTrue();
        assertThat(runner.runsFor(id)).isZero();
        assertThat(tenants.statusOf("t1")).isEqualTo(TenantStatus.FAILED_PROVISIONING);
        assertThat(tenants.applied("t1")).endsWith(TenantStatus.FAILED_PROVISIONING);
        assertThat(types(id)).endsWith(JobEventType.TENANT_STATUS_APPLIED).doesNotContain(JobEventType.LAUNCH_PENDING);
    }

    private List<JobEventType> types(String jobId) {
        return shared.types(jobId);
    }

    private TenantProvisioner node(String nodeId, ManualScheduler scheduler,
            Consumer<TenantProvisioner.Builder> customise) {
        return shared.node(nodeId, scheduler, runner, customise);
    }
}
