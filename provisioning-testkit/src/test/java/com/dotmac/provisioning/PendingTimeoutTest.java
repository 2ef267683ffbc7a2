package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.scripted.Script;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pending is not running (issue 15, item 10): a run the runner keeps {@code pending} (AWX without capacity) is
 * cancelled after the pending timeout and the job ends {@code timed_out} with a message naming the capacity; the
 * job timeout counts from when the run starts, not from its launch.
 */
class PendingTimeoutTest {

    @Test
    void aRunPendingLongerThanThePendingTimeoutIsCancelledAndTimesOutNamingTheCapacity() {
        EngineHarness h = new EngineHarness(b -> b.pendingTimeout(Duration.ofMinutes(10)));
        h.tenant("t-pend", "pending");
        h.runner.script("t-pend", Script.hang().withPendingFor(Duration.ofHours(5)));
        String id = h.provisioner.request(ProvisioningRequest.provision("t-pend", DeploymentMode.DOTMAC_HOSTED)).id();
        h.step();
        ProvisioningJob launched = h.job(id);
        assertThat(launched.status()).isEqualTo(JobStatus.IN_PROGRESS);

        ProvisioningJob done = h.runToEnd(id);

        assertThat(done.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.RUN_PENDING_TIMEOUT);
        assertThat(done.errorMessage()).contains("the run stayed pending for 10m")
                .contains("the automation platform has no capacity for it")
                .contains("check AWX instance/instance-group capacity")
                .contains("run " + done.runId() + " was cancelled");
        assertThat(done.runStartedAt()).isNull();
        assertThat(done.finishedAt()).isBetween(launched.startedAt().plus(Duration.ofMinutes(10)),
                launched.startedAt().plus(Duration.ofMinutes(10)).plus(EngineHarness.POLL.multipliedBy(2)));
        assertThat(h.runner.cancelRequests()).containsExactly(done.runId());
        assertThat(h.provisioner.events(id)).filteredOn(e -> e.type() == JobEventType.DEADLINE_PASSED)
                .singleElement().satisfies(e -> assertThat(e.message()).contains("pending for 10m"));
        assertThat(h.tenantStatus("t-pend")).isEqualTo("failed_provisioning");
    }

    @Test
    void theJobTimeoutCountsFromTheRunsStartNotFromItsLaunch() {
        Duration jobTimeout = Duration.ofHours(2);
        EngineHarness h = new EngineHarness(b -> b.jobTimeout(jobTimeout).pendingTimeout(Duration.ofHours(3)));
        h.tenant("t-slow", "pending");
        h.runner.script("t-slow", Script.hang().withPendingFor(Duration.ofMinutes(110)));
        String id = h.provisioner.request(ProvisioningRequest.provision("t-slow", DeploymentMode.DOTMAC_HOSTED)).id();
        h.step();
        Instant launchedAt = h.job(id).startedAt();
        assertThat(launchedAt).isNotNull();

        // pending for 1 h 50 min, then running: 2 h after the launch (plus a poll) the job still runs
        advanceUntil(h, launchedAt.plus(jobTimeout).plus(EngineHarness.POLL));
        ProvisioningJob running = h.job(id);
        assertThat(running.status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(running.runStartedAt()).isBetween(launchedAt.plus(Duration.ofMinutes(110)),
                launchedAt.plus(Duration.ofMinutes(110)).plus(EngineHarness.POLL));
        assertThat(running.deadline()).isEqualTo(running.runStartedAt().plus(jobTimeout));
        assertThat(h.runner.cancelRequests()).isEmpty();

        // ... and it times out 2 h after the run started
        advanceUntil(h, running.runStartedAt().plus(jobTimeout).minus(EngineHarness.POLL));
        assertThat(h.job(id).status()).isEqualTo(JobStatus.IN_PROGRESS);
        ProvisioningJob done = h.runToEnd(id);
        assertThat(done.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.TIMED_OUT);
        assertThat(done.errorMessage()).contains("timed out after " + jobTimeout);
        assertThat(done.finishedAt()).isBetween(running.runStartedAt().plus(jobTimeout),
                running.runStartedAt().plus(jobTimeout).plus(EngineHarness.POLL));
        assertThat(h.runner.cancelRequests()).containsExactly(done.runId());
    }

    @Test
    void aRunThatStartsWithinThePendingTimeoutIsNotCancelled() {
        EngineHarness h = new EngineHarness(b -> b.pendingTimeout(Duration.ofMinutes(10)));
        h.tenant("t-ok", "pending");
        h.runner.script("t-ok", Script.succeedAfter(2).withPendingFor(Duration.ofMinutes(9)));
        String id = h.provisioner.request(ProvisioningRequest.provision("t-ok", DeploymentMode.DOTMAC_HOSTED)).id();

        ProvisioningJob done = h.runToEnd(id);

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.runStartedAt()).isNotNull();
        assertThat(h.runner.cancelRequests()).isEmpty();
    }

    /** Steps the engine poll interval by poll interval until the clock reaches {@code at}. */
    private static void advanceUntil(EngineHarness h, Instant at) {
        while (h.clock.instant().isBefore(at)) {
            h.advance(EngineHarness.POLL);
        }
    }
}
