package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every lifecycle of every operation, stepped on a hand-moved clock. */
class TenantProvisionerLifecycleTest {
    private final EngineHarness h = new EngineHarness();

    private ProvisioningJob request(Operation operation, String tenant) {
        h.tenant(tenant, operation == Operation.PROVISION ? "pending" : TenantStatus.PROVISIONED);
        ProvisioningRequest.Builder b = ProvisioningRequest.builder(tenant)
                .operation(operation)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .requestedBy("alice")
                .extraVar("region", "eu-west-1");
        if (operation == Operation.UPGRADE) {
            b.releaseVersion("2.5.0");
        }
        return h.provisioner.request(b.build());
    }

    private List<JobStatus> statusChanges(String jobId) {
        return h.provisioner.events(jobId).stream()
                .filter(e -> e.type() == JobEventType.STATUS_CHANGED)
                .map(JobEvent::to)
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aSuccessfulRunSucceedsAndSetsTheTenantStatus(Operation operation) {
        h.runner.script("t-ok", Script.succeedAfter(2).withArtifacts(Map.of("tenant_url", "https://t-ok.example.com")));

        ProvisioningJob job = request(operation, "t-ok");

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(h.tenantStatus("t-ok")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.QUEUED));
        ProvisioningJob done = h.runToEnd(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.runId()).isNotNull();
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.retryCount()).isEqualTo(1);
        assertThat(done.artifacts()).containsEntry("tenant_url", "https://t-ok.example.com");
        assertThat(done.errorCode()).isNull();
        assertThat(h.tenantStatus("t-ok"))
                .isEqualTo(operation == Operation.DECOMMISSION ? TenantStatus.DECOMMISSIONED : TenantStatus.PROVISIONED);
        assertThat(statusChanges(job.id())).containsExactly(JobStatus.IN_PROGRESS, JobStatus.SUCCEEDED);
        assertThat(h.provisioner.events(job.id()).get(0).type()).isEqualTo(JobEventType.CREATED);
        assertThat(h.heard).extracting(JobEvent::type).contains(JobEventType.CREATED, JobEventType.LAUNCH_PENDING,
                JobEventType.STATUS_CHANGED, JobEventType.TENANT_STATUS_APPLIED);
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aFailedRunFailsWithTheTasksMessage(Operation operation) {
        h.runner.script("t-fail", Script.failAfter(1, "Render compose file", "dc1-control-01", "template error"));

        ProvisioningJob done = h.runToEnd(request(operation, "t-fail").id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.RUN_FAILED);
        assertThat(done.errorMessage())
                .isEqualTo("task 'Render compose file' failed on host dc1-control-01: template error");
        assertThat(h.tenantStatus("t-fail")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.FAILED));
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void anErroredRunFails(Operation operation) {
        h.runner.script("t-err", Script.errorAfter(0, "Job terminated due to error"));
        ProvisioningJob done = h.runToEnd(request(operation, "t-err").id());
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.RUN_ERROR);
        assertThat(done.errorMessage()).contains("Job terminated due to error");
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aCancelWhileQueuedCancelsAtOnce(Operation operation) {
        h.runner.script("t-cq", Script.succeedAfter(1));
        ProvisioningJob job = request(operation, "t-cq");

        ProvisioningJob cancelled = h.provisioner.cancel(job.id(), "bob", "wrong tenant");
        h.step();

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.errorMessage()).isEqualTo("cancelled by bob: wrong tenant");
        assertThat(h.runner.launches()).isEmpty();
        assertThat(h.stored(job.id()).tenantStatusApplied()).isTrue();
        assertThat(h.tenantStatus("t-cq")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.CANCELLED));
        assertThat(statusChanges(job.id())).containsExactly(JobStatus.CANCELLED);
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aCancelWhileRunningStopsTheRunAndEndsCancelled(Operation operation) {
        h.runner.script("t-cr", Script.hang());
        ProvisioningJob job = request(operation, "t-cr");
        h.step();
        assertThat(h.job(job.id()).status()).isEqualTo(JobStatus.IN_PROGRESS);

        ProvisioningJob afterRequest = h.provisioner.cancel(job.id(), "bob", null);
        assertThat(afterRequest.status()).isEqualTo(JobStatus.IN_PROGRESS);
        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.CANCELLED);
        assertThat(h.runner.cancelRequests()).containsExactly(done.runId());
        assertThat(h.provisioner.events(job.id())).extracting(JobEvent::type)
                .contains(JobEventType.CANCEL_REQUESTED, JobEventType.RUN_CANCEL_SENT);
        assertThat(h.tenantStatus("t-cr")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.CANCELLED));
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aRunPastItsDeadlineIsCancelledAndTimesOut(Operation operation) {
        h.runner.script("t-to", Script.hang());
        ProvisioningJob job = request(operation, "t-to");
        h.step();
        assertThat(h.job(job.id()).deadline()).isEqualTo(h.job(job.id()).startedAt().plus(EngineHarness.TIMEOUT));

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.TIMED_OUT);
        assertThat(done.finishedAt()).isBetween(done.deadline(), done.deadline().plus(EngineHarness.POLL));
        assertThat(h.runner.cancelRequests()).containsExactly(done.runId());
        assertThat(h.tenantStatus("t-to")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.TIMED_OUT));
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aRunThatIgnoresItsCancellationTimesOutAfterTheGrace(Operation operation) {
        h.runner.script("t-stuck", Script.hang().ignoringCancel());
        ProvisioningJob job = request(operation, "t-stuck");

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(done.errorMessage()).contains("did not confirm").contains(done.runId());
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.deadline().plus(Duration.ofMinutes(5)));
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aRejectedLaunchFailsAtOnce(Operation operation) {
        h.runner.script("t-rej", Script.rejectLaunch("AWX_NOT_FOUND", "no job template 99"));

        ProvisioningJob done = h.runToEnd(request(operation, "t-rej").id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo("AWX_NOT_FOUND");
        assertThat(done.errorMessage()).isEqualTo("no job template 99");
        assertThat(done.runId()).isNull();
        assertThat(done.retryCount()).isEqualTo(1);
        assertThat(statusChanges(done.id())).containsExactly(JobStatus.FAILED);
        assertThat(h.tenantStatus("t-rej")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.FAILED));
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void transientLaunchFailuresAreRetriedWithBackoffThenSucceed(Operation operation) {
        h.runner.script("t-tr", Script.succeedAfter(1).withTransientLaunchFailures(3));
        ProvisioningJob job = request(operation, "t-tr");
        h.step();
        StoredJob waiting = h.stored(job.id());
        assertThat(waiting.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.job().errorCode()).isEqualTo("SCRIPTED_UNAVAILABLE");
        assertThat(waiting.nextCheckAt()).isAfter(h.clock.instant());

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.retryCount()).isEqualTo(4);
        assertThat(done.errorCode()).isNull();
        assertThat(h.runner.runsFor(job.id())).isEqualTo(1);
        List<JobEvent> retries = h.provisioner.events(job.id()).stream()
                .filter(e -> e.type() == JobEventType.LAUNCH_RETRY_SCHEDULED).toList();
        assertThat(retries).hasSize(3);
        // exponential: each wait is at least half the doubled ceiling (10 s, 20 s, 40 s with jitter)
        for (int i = 0; i < retries.size(); i++) {
            java.time.Instant retryAt = java.time.Instant.parse((String) retries.get(i).data().get("retry_at"));
            Duration wait = Duration.between(retries.get(i).at(), retryAt);
            assertThat(wait).isBetween(Duration.ofSeconds(5L << i), Duration.ofSeconds(10L << i));
        }
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void launchAttemptsAreBounded(Operation operation) {
        EngineHarness bounded = new EngineHarness(b -> b.maxLaunchAttempts(3));
        bounded.tenant("t-down", operation == Operation.PROVISION ? "pending" : TenantStatus.PROVISIONED);
        bounded.runner.script("t-down", Script.succeedAfter(1).withTransientLaunchFailures(100));
        ProvisioningRequest.Builder b = ProvisioningRequest.builder("t-down").operation(operation)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED);
        if (operation == Operation.UPGRADE) {
            b.releaseVersion("3.0.0");
        }
        ProvisioningJob done = bounded.runToEnd(bounded.provisioner.request(b.build()).id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.LAUNCH_ATTEMPTS_EXHAUSTED);
        assertThat(done.errorMessage()).contains("gave up after 3 launch attempts").contains("scripted launch failure");
        assertThat(done.retryCount()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void aLostRunFails(Operation operation) {
        h.runner.script("t-lost", Script.lostAfter(1));
        ProvisioningJob done = h.runToEnd(request(operation, "t-lost").id());
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.RUN_LOST);
        assertThat(done.errorMessage()).contains("no longer exists");
        assertThat(h.tenantStatus("t-lost")).isEqualTo(TenantStatusRules.tenantStatusFor(operation, JobStatus.FAILED));
    }
}
