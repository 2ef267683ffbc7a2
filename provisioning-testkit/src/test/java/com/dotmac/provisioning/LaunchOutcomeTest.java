package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.SimulatedCrash;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 1 and 2: a job whose launch may have started a run is never ended before that run is looked for;
 * when it cannot be looked for, the job still ends (a cancel within the attempt budget), says so, is watched for
 * the run, and cannot be retried while that run may be live.
 */
class LaunchOutcomeTest {
    private static final AutomationException TEMPLATE_GONE = AutomationException.permanent("AWX_NOT_FOUND",
            "AWX has no job template 14");
    private static final AutomationException AWX_DOWN = AutomationException.transientFailure("AWX_UNAVAILABLE",
            "AWX answered 503", null);

    private static ProvisioningRequest provision(String tenant) {
        return ProvisioningRequest.builder(tenant).deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice")
                .build();
    }

    /** Moves the clock a node shares with another (its harness's own clock is not the engine's) and steps. */
    private static void advance(EngineHarness node, MutableClock clock, Duration d) {
        clock.advance(d);
        node.step();
    }

    /** {@link EngineHarness#runToEnd} for a node on another harness's clock. */
    private static ProvisioningJob runToEnd(EngineHarness node, MutableClock clock, String jobId) {
        node.step();
        for (int i = 0; i < 200; i++) {
            if (node.job(jobId).status().isTerminal() && node.stored(jobId).tenantStatusApplied()) {
                return node.job(jobId);
            }
            advance(node, clock, EngineHarness.POLL);
        }
        throw new AssertionError("job " + jobId + " did not finish: " + node.stored(jobId));
    }

    /** A job whose first launch attempt failed transiently (it may have started a run): its launch is pending. */
    private static ProvisioningJob pendingAfterOneFailedAttempt(EngineHarness h) {
        h.runner.script("acme", Script.hang().withTransientLaunchFailures(1));
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        assertThat(h.stored(job.id()).launchPendingSince()).isNotNull();
        assertThat(h.job(job.id()).status()).isEqualTo(JobStatus.QUEUED);
        return job;
    }

    @Test
    void aCancelWhileALaunchIsPendingEndsWhenTheRunCannotBeLookedForAnyMore() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        ProvisioningJob job = pendingAfterOneFailedAttempt(h);
        // the job template is deleted: every search for the first attempt's run is refused for good
        h.runner.failFindRuns(TEMPLATE_GONE);

        h.provisioner.cancel(job.id(), "bob", "customer left");
        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.CANCELLED);
        assertThat(done.errorMessage()).contains("cancelled by bob: customer left")
                .contains("AWX has no job template 14").contains("check the automation platform")
                .contains("provisioning_job_id=" + job.id());
        assertThat(h.repository.findActive("acme")).as("the tenant's active-job slot is free").isEmpty();
    }

    @Test
    void aCancelWhileALaunchIsPendingEndsWithinTheAttemptBudgetWhenTheServiceStaysDown() {
        EngineHarness h = new EngineHarness(b -> b.maxLaunchAttempts(4)).tenant("acme", "pending");
        ProvisioningJob job = pendingAfterOneFailedAttempt(h);
        h.runner.failFindRuns(AWX_DOWN);

        h.provisioner.cancel(job.id(), "bob", null);
        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(done.retryCount()).isLessThanOrEqualTo(4);
        assertThat(done.errorMessage()).contains("cancelled by bob").contains("AWX answered 503")
                .contains("check the automation platform");
        assertThat(h.repository.findActive("acme")).isEmpty();
    }

    @Test
    void aRunStartedByTheLastAttemptBeforeACrashIsFoundAndFollowed() {
        InMemoryJobRepository repository = new InMemoryJobRepository();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("acme", "acme", "pending");
        EngineHarness a = new EngineHarness(repository, tenants, "node-a", b -> b.maxLaunchAttempts(2));
        // attempt 1 fails; attempt 2 (the last) starts the run, and the node dies before recording it
        a.runner.script("acme", Script.succeedAfter(1).withTransientLaunchFailures(1).crashingAfterLaunch());
        ProvisioningJob job = a.provisioner.request(provision("acme"));
        a.step();
        a.clock.advance(Duration.ofSeconds(20));
        assertThatThrownBy(a::step).isInstanceOf(SimulatedCrash.class);
        a.provisioner.close();
        assertThat(a.stored(job.id()).job().retryCount()).isEqualTo(2);

        EngineHarness b = new EngineHarness(repository, tenants, "node-b",
                x -> x.runner(a.runner).clock(a.clock).maxLaunchAttempts(2));
        a.clock.advance(Duration.ofMinutes(6));
        ProvisioningJob done = runToEnd(b, a.clock, job.id());

        assertThat(done.status()).as("%s %s", done.errorCode(), done.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.runner.runsFor(job.id())).isEqualTo(1);
        assertThat(done.retryCount()).isEqualTo(2);
    }

    @Test
    void aRunWhoseLastLaunchAnswerWasLostIsLookedForBeforeTheJobFails() {
        EngineHarness h = new EngineHarness(b -> b.maxLaunchAttempts(2)).tenant("acme", "pending");
        h.runner.script("acme", Script.succeedAfter(1).withTransientLaunchFailures(2));
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        h.advance(Duration.ofSeconds(20));
        assertThat(h.stored(job.id()).job().retryCount()).isEqualTo(2);
        // the last attempt's failure was a lost answer (a proxy's 502): the service starts the run anyway
        h.runner.script("acme", Script.succeedAfter(1));
        ProvisioningJob queued = h.job(job.id());
        h.runner.launch(new LaunchSpec(queued, Map.of(PlaybookVariables.PROVISIONING_JOB_ID, job.id()),
                queued.createdAt()));

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).as("%s %s", done.errorCode(), done.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.runner.runsFor(job.id())).isEqualTo(1);
    }

    @Test
    void aJobWhoseRunCannotBeLookedForSaysSoIsWatchedAndIsNotRetriedWhileItsRunMayBeLive() {
        LastLaunchCrash crash = LastLaunchCrash.onNodeA();
        EngineHarness a = crash.a();
        ProvisioningJob job = crash.job();
        assertThat(a.runner.runsFor(job.id())).as("the run the last attempt started").isEqualTo(1);

        // the node that takes over cannot look: the token was revoked meanwhile
        EngineHarness b = crash.takeOver();
        a.runner.failFindRuns(AutomationException.permanent("AWX_UNAUTHORIZED", "AWX refused the credentials (401)"));
        a.clock.advance(Duration.ofMinutes(6));
        ProvisioningJob done = runToEnd(b, a.clock, job.id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.LAUNCH_OUTCOME_UNKNOWN);
        assertThat(done.errorMessage()).contains("AWX refused the credentials (401)")
                .contains("check the automation platform").contains("provisioning_job_id=" + job.id());
        assertThatThrownBy(() -> b.provisioner.retry(job.id(), "bob")).isInstanceOf(RetryNotAllowedException.class)
                .hasMessageContaining("may have started a run").hasMessageContaining("provisioning_job_id=" + job.id());
        assertThat(a.runner.runsFor(job.id())).isEqualTo(1);

        // the token is fixed: the watch looks again, finds the run and cancels it; then a retry is allowed
        a.runner.failFindRuns(null);
        advance(b, a.clock, Duration.ofSeconds(30));
        advance(b, a.clock, Duration.ofSeconds(30));

        assertThat(a.runner.cancelRequests()).as("the run the last attempt started is cancelled").hasSize(1);
        ProvisioningJob retry = b.provisioner.retry(job.id(), "bob");
        assertThat(retry.retryOf()).isEqualTo(job.id());
    }

    @Test
    void aRetryIsAllowedOnceTheWatchWindowHasPassedEvenIfTheRunWasNeverLookedFor() {
        LastLaunchCrash crash = LastLaunchCrash.onNodeA();
        EngineHarness a = crash.a();
        ProvisioningJob job = crash.job();

        EngineHarness b = crash.takeOver();
        a.runner.failFindRuns(AWX_DOWN);
        a.clock.advance(Duration.ofMinutes(6));
        ProvisioningJob done = runToEnd(b, a.clock, job.id());
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.LAUNCH_OUTCOME_UNKNOWN);
        assertThatThrownBy(() -> b.provisioner.retry(job.id(), "bob")).isInstanceOf(RetryNotAllowedException.class);

        for (int i = 0; i < 70; i++) { // 35 minutes: past the watch window (the job timeout, 30 minutes)
            advance(b, a.clock, Duration.ofSeconds(30));
        }

        assertThat(b.provisioner.retry(job.id(), "bob").retryOf()).isEqualTo(job.id());
    }

    /** Node a launches a job's last attempt (the first failed transiently) and dies right after the launch. */
    private record LastLaunchCrash(InMemoryJobRepository repository, InMemoryTenantDirectory tenants, EngineHarness a,
            ProvisioningJob job) {
        static LastLaunchCrash onNodeA() {
            InMemoryJobRepository repository = new InMemoryJobRepository();
            InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("acme", "acme", "pending");
            EngineHarness a = new EngineHarness(repository, tenants, "node-a", b -> b.maxLaunchAttempts(2));
            a.runner.script("acme", Script.hang().withTransientLaunchFailures(1).crashingAfterLaunch());
            ProvisioningJob job = a.provisioner.request(provision("acme"));
            a.step();
            a.clock.advance(Duration.ofSeconds(20));
            assertThatThrownBy(a::step).isInstanceOf(SimulatedCrash.class);
            a.provisioner.close();
            return new LastLaunchCrash(repository, tenants, a, job);
        }

        /** @return node b, on the same repository, runner and clock, taking the job over */
        EngineHarness takeOver() {
            return new EngineHarness(repository, tenants, "node-b",
                    x -> x.runner(a.runner).clock(a.clock).maxLaunchAttempts(2));
        }
    }
}
