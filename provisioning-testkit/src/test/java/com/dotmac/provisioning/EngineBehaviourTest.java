package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.policy.RequestVariable;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.TenantCredential;
import com.dotmac.provisioning.scripted.SimulatedCrash;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tenant status persistence, crash safety, capacity, retry, callbacks and listeners. */
class EngineBehaviourTest {

    private static ProvisioningRequest provision(String tenant) {
        return ProvisioningRequest.builder(tenant).deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice")
                .build();
    }

    @Test
    void theTenantStatusIsAppliedAgainUntilTheDirectoryAcceptsIt() {
        AtomicInteger refusals = new AtomicInteger(3);
        List<String> applied = new ArrayList<>();
        InMemoryTenantDirectory inner = new InMemoryTenantDirectory().put("acme", "acme", "pending");
        TenantDirectory flaky = new TenantDirectory() {
            @Override
            public Optional<Tenant> find(String tenantId) {
                return inner.find(tenantId);
            }

            @Override
            public void applyStatus(String tenantId, String status, TenantStatusChange change) {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("tenants table is locked");
                }
                applied.add(status);
                inner.applyStatus(tenantId, status, change);
            }
        };
        EngineHarness h = new EngineHarness(new InMemoryJobRepository(), inner, "node-1", b -> b.tenantDirectory(flaky));

        ProvisioningJob job = h.provisioner.request(provision("acme"));
        assertThat(h.stored(job.id()).tenantStatusApplied()).isFalse();
        assertThat(inner.statusOf("acme")).isEqualTo("pending");

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(applied).containsExactly(TenantStatus.PROVISIONING, TenantStatus.PROVISIONED);
        assertThat(inner.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(h.provisioner.events(job.id())).filteredOn(e -> e.type() == JobEventType.TENANT_STATUS_FAILED)
                .hasSize(3).allSatisfy(e -> assertThat(e.message()).contains("tenants table is locked"));
    }

    @Test
    void aTerminalJobWhoseStatusWasNotAppliedIsPickedUpBySweeps() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.runToEnd(job.id());
        StoredJob s = h.stored(job.id());
        // as if the node died between finishing the job and telling the directory
        h.repository.commit(s.withTenantStatusApplied(false).withNextCheckAt(h.clock.instant()), List.of());
        h.tenants.put("acme", "acme", TenantStatus.PROVISIONING);

        h.step();

        assertThat(h.tenantStatus("acme")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(h.stored(job.id()).nextCheckAt()).isNull();
    }

    @Test
    void aRunLaunchedJustBeforeACrashIsFoundAgainAndNeverLaunchedTwice() {
        InMemoryJobRepository repository = new InMemoryJobRepository();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("acme", "acme", "pending");
        EngineHarness a = new EngineHarness(repository, tenants, "node-a", b -> { });
        a.runner.script("acme", Script.succeedAfter(1).crashingAfterLaunch());

        ProvisioningJob job = a.provisioner.request(provision("acme"));
        assertThatThrownBy(a.scheduler::runPending).isInstanceOf(SimulatedCrash.class);
        a.provisioner.close();
        StoredJob afterCrash = repository.find(job.id()).orElseThrow();
        assertThat(afterCrash.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(afterCrash.launchPendingSince()).isNotNull();
        assertThat(afterCrash.leaseOwner()).isEqualTo("node-a");

        // node b shares the store and the runner (the "AWX" that kept the run)
        EngineHarness b = new EngineHarness(repository, tenants, "node-b", x -> x.runner(a.runner).clock(a.clock));
        a.clock.advance(Duration.ofMinutes(6));
        b.step();
        ProvisioningJob attached = repository.find(job.id()).orElseThrow().job();
        for (int i = 0; i < 5 && attached.status() != JobStatus.SUCCEEDED; i++) {
            a.clock.advance(EngineHarness.POLL);
            b.step();
            attached = repository.find(job.id()).orElseThrow().job();
        }

        assertThat(attached.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(a.runner.runsFor(job.id())).isEqualTo(1);
        assertThat(b.provisioner.events(job.id())).filteredOn(e -> e.type() == JobEventType.STATUS_CHANGED
                && e.to() == JobStatus.IN_PROGRESS).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("found_again", true));
        assertThat(tenants.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONED);
    }

    @Test
    void aCancelThatArrivesDuringABatchPollIsNotLeftWaitingForTheLease() {
        AtomicReference<Runnable> duringPoll = new AtomicReference<>();
        ScriptedAutomationRunner scripted =
                new ScriptedAutomationRunner(Clock.systemUTC());
        AutomationRunner interfering = new ForwardingAutomationRunner(scripted) {
            @Override
            public Map<String, RunStatus> poll(Collection<String> runIds) {
                Runnable r = duringPoll.getAndSet(null);
                if (r != null) {
                    r.run();
                }
                return super.poll(runIds);
            }
        };
        EngineHarness h = new EngineHarness(b -> b.runner(interfering)).tenant("acme", "pending");
        scripted.script("acme", Script.hang());
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        assertThat(h.job(job.id()).status()).isEqualTo(JobStatus.IN_PROGRESS);
        duringPoll.set(() -> h.provisioner.cancel(job.id(), "bob", null));

        h.advance(EngineHarness.POLL);
        h.step();
        h.advance(EngineHarness.POLL);

        assertThat(h.job(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(h.stored(job.id()).leaseOwner()).isNull();
    }

    @Test
    void aPermanentFailureToLookForAnEarlierRunFailsTheJobAtOnce() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        h.runner.script("acme", Script.succeedAfter(0).withTransientLaunchFailures(1));
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        assertThat(h.stored(job.id()).launchPendingSince()).isNotNull();
        // the runner's configuration broke between the attempts (e.g. the job template was removed)
        h.runner.script("acme", Script.rejectLaunch("AWX_CONFIGURATION", "no job template for provision"));
        h.runner.failFindRuns(AutomationException.permanent("AWX_CONFIGURATION", "no job template for provision"));

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo("AWX_CONFIGURATION");
        assertThat(done.retryCount()).isEqualTo(2);
    }

    @Test
    void failingToLookForAnEarlierRunUsesUpLaunchAttempts() {
        EngineHarness h = new EngineHarness(b -> b.maxLaunchAttempts(4)).tenant("acme", "pending");
        h.runner.script("acme", Script.succeedAfter(0).withTransientLaunchFailures(1));
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        // the service goes down for good: every later attempt fails while looking for the first one's run
        h.runner.failFindRuns(AutomationException.transientFailure("AWX_UNAVAILABLE", "AWX answered 503", null));

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.errorCode()).isEqualTo(ErrorCodes.LAUNCH_ATTEMPTS_EXHAUSTED);
        assertThat(done.retryCount()).isEqualTo(4);
        assertThat(done.errorMessage()).contains("AWX answered 503");
    }

    @Test
    void aRunStartedLateNextToTheOneTheJobFollowsIsCancelled() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        h.runner.script("acme", Script.hang().withTransientLaunchFailures(1));
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.runToStatus(job.id(), JobStatus.IN_PROGRESS);
        ProvisioningJob running = h.job(job.id());
        // the first attempt's launch reaches the service only now and starts a second run of the job
        String late = h.runner.launch(h.runner.launches().get(0)).runId();

        h.advance(EngineHarness.POLL);
        h.advance(EngineHarness.POLL);

        assertThat(h.runner.runsFor(job.id())).isEqualTo(2);
        assertThat(h.runner.cancelRequests()).containsExactly(late);
        assertThat(h.job(job.id()).runId()).isEqualTo(running.runId());
    }

    @Test
    void aCallbackTokenEchoedByTheAutomationIsNeverStored() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        String token = h.provisioner.callbackToken(job.id());
        h.runner.script("acme", Script.failAfter(0, "Report back", "localhost", "the platform refused token " + token)
                .withArtifacts(Map.of("echo", token)));

        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(done.errorMessage()).contains("refused token [redacted]").doesNotContain(token);
        assertThat(h.provisioner.events(job.id())).allSatisfy(e -> assertThat(e.message()).doesNotContain(token));
    }

    @Test
    void runsInFlightAreCappedAndTheRestWaitQueued() {
        EngineHarness h = new EngineHarness(b -> b.maxConcurrentRuns(2));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.tenant("cap-" + i, "pending");
            h.runner.script("cap-" + i, Script.succeedAfter(3));
            ids.add(h.provisioner.request(provision("cap-" + i)).id());
        }
        h.step();

        assertThat(ids.stream().map(h::job).filter(j -> j.status() == JobStatus.IN_PROGRESS)).hasSize(2);
        assertThat(ids.stream().map(h::job).filter(j -> j.status() == JobStatus.QUEUED)).hasSize(3);
        int maxInFlight = 0;
        for (int i = 0; i < 40; i++) {
            h.advance(EngineHarness.POLL);
            maxInFlight = Math.max(maxInFlight, (int) h.repository.countRunsInFlight());
        }
        assertThat(maxInFlight).isEqualTo(2);
        assertThat(ids.stream().map(h::job)).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.SUCCEEDED));
    }

    @Test
    void aRunnersOwnCapacityKeepsJobsQueuedInsteadOfFailingLaunches() {
        EngineHarness h = new EngineHarness();
        ScriptedAutomationRunner limited = new ScriptedAutomationRunner(h.clock).maxConcurrentRuns(1);
        EngineHarness capped = new EngineHarness(new InMemoryJobRepository(), new InMemoryTenantDirectory(), "n",
                b -> b.runner(limited).clock(h.clock));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            capped.tenant("r-" + i, "pending");
            limited.script("r-" + i, Script.succeedAfter(2));
            ids.add(capped.provisioner.request(provision("r-" + i)).id());
        }
        capped.step();
        assertThat(capped.repository.countRunsInFlight()).isEqualTo(1);
        for (int i = 0; i < 30; i++) {
            h.clock.advance(EngineHarness.POLL);
            capped.step();
            assertThat(capped.repository.countRunsInFlight()).isLessThanOrEqualTo(1);
        }
        assertThat(ids.stream().map(capped::job)).allSatisfy(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(j.retryCount()).isEqualTo(1);
        });
    }

    @Test
    void retryStartsANewJobLinkedToTheFailedOne() {
        EngineHarness h = new EngineHarness(b -> b.requestVariables(RequestVariables.of(
                RequestVariable.string("size").allowedValues("small", "large").build()))).tenant("acme", "pending");
        h.runner.script("acme", Script.failAfter(0, "Start stack", "h1", "port in use"));
        ProvisioningJob failed = h.runToEnd(h.provisioner.request(ProvisioningRequest.builder("acme")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar("size", "large").build()).id());
        assertThat(h.tenantStatus("acme")).isEqualTo(TenantStatus.FAILED_PROVISIONING);
        h.runner.script("acme", Script.succeedAfter(0));

        ProvisioningJob retry = h.provisioner.retry(failed.id(), "bob");
        ProvisioningJob done = h.runToEnd(retry.id());

        assertThat(retry.id()).isNotEqualTo(failed.id());
        assertThat(retry.retryOf()).isEqualTo(failed.id());
        assertThat(retry.requestedBy()).isEqualTo("bob");
        assertThat(retry.extraVars()).isEqualTo(failed.extraVars());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.tenantStatus("acme")).isEqualTo(TenantStatus.PROVISIONED);
        assertThatThrownBy(() -> h.provisioner.retry(done.id(), "bob")).isInstanceOf(RetryNotAllowedException.class);
        assertThatThrownBy(() -> h.provisioner.retry(failed.id(), "bob"))
                .isInstanceOf(OperationNotAllowedException.class);
        assertThatThrownBy(() -> h.provisioner.retry("no-such-job", "bob")).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void cancellingAFinishedJobConflicts() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        ProvisioningJob done = h.runToEnd(h.provisioner.request(provision("acme")).id());
        assertThatThrownBy(() -> h.provisioner.cancel(done.id(), "bob", null))
                .isInstanceOf(JobFinishedException.class);
        assertThatThrownBy(() -> h.provisioner.cancel("nope", "bob", null)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void aValidCallbackIsRecordedAndTriggersAPoll() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        h.runner.script("acme", Script.succeedAfter(1).withArtifacts(Map.of("from_run", "yes")));
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        LaunchSpec spec = h.runner.launches().get(0);
        String token = (String) spec.extraVars().get(PlaybookVariables.PLATFORM_CALLBACK_TOKEN);
        assertThat(spec.extraVars().get(PlaybookVariables.PLATFORM_CALLBACK_URL)).isEqualTo(
                "https://platform.example.com/api/v1/tenants/acme/provisioning/jobs/" + job.id() + "/callback");
        assertThat(token).isEqualTo(h.provisioner.callbackToken(job.id()));

        // the playbook calls back as its last task, while the run still shows as running
        h.provisioner.acceptCallback(job.id(), token, new CallbackReport("succeeded", "1001",
                Map.of("tenant_url", "https://acme.example.com")));
        h.scheduler.runPending();
        ProvisioningJob polled = h.job(job.id());
        assertThat(polled.lastAcknowledgedAt()).isEqualTo(h.clock.instant());
        assertThat(polled.status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(h.stored(job.id()).nextCheckAt())
                .isBeforeOrEqualTo(h.clock.instant().plus(EngineSettings.DEFAULT_SWEEP_INTERVAL));

        // so the engine looks again within a sweep, not a whole poll interval later
        h.advance(EngineSettings.DEFAULT_SWEEP_INTERVAL);

        ProvisioningJob after = h.job(job.id());
        assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(after.artifacts()).containsEntry("tenant_url", "https://acme.example.com")
                .containsEntry("from_run", "yes");
        assertThat(h.provisioner.events(job.id())).extracting(JobEvent::type).contains(JobEventType.CALLBACK_RECEIVED);
    }

    @Test
    void callbacksWithoutTheJobsTokenAreRefused() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending").tenant("other", "pending");
        h.runner.script("acme", Script.hang());
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        ProvisioningJob other = h.provisioner.request(provision("other"));
        CallbackReport report = new CallbackReport("succeeded", null, Map.of());

        assertThatThrownBy(() -> h.provisioner.acceptCallback(job.id(), "forged", report))
                .isInstanceOf(InvalidCallbackTokenException.class)
                .hasMessageNotContaining(h.provisioner.callbackToken(job.id()));
        assertThatThrownBy(() -> h.provisioner.acceptCallback(job.id(), null, report))
                .isInstanceOf(InvalidCallbackTokenException.class);
        assertThatThrownBy(() -> h.provisioner.acceptCallback(job.id(), h.provisioner.callbackToken(other.id()),
                report)).isInstanceOf(InvalidCallbackTokenException.class);
        assertThatThrownBy(() -> h.provisioner.acceptCallback("missing-job", h.provisioner.callbackToken("missing-job"),
                report)).isInstanceOf(JobNotFoundException.class);
        assertThat(h.job(job.id()).lastAcknowledgedAt()).isNull();
    }

    @Test
    void aCallbackLongAfterTheJobEndedIsRefused() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        ProvisioningJob done = h.runToEnd(h.provisioner.request(provision("acme")).id());
        String token = h.provisioner.callbackToken(done.id());
        CallbackReport report = new CallbackReport("succeeded", null, Map.of("late", true));

        h.provisioner.acceptCallback(done.id(), token, report);
        h.clock.advance(EngineSettings.DEFAULT_CALLBACK_GRACE.plusSeconds(1));

        assertThat(h.job(done.id()).artifacts()).containsEntry("late", true);
        assertThatThrownBy(() -> h.provisioner.acceptCallback(done.id(), token, report))
                .isInstanceOf(JobFinishedException.class);
    }

    @Test
    void aFailingListenerNeverBreaksAJob() {
        EngineHarness h = new EngineHarness(b -> b.listener((job, event) -> {
            throw new IllegalStateException("listener bug");
        })).tenant("acme", "pending");
        ProvisioningJob done = h.runToEnd(h.provisioner.request(provision("acme")).id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.heard).isNotEmpty();
    }

    @Test
    void theRequestsExtraVarsAndTheReservedOnesReachTheRunner() {
        EngineHarness h = new EngineHarness(b -> b.credentialPolicy(new InMemoryCredentialPolicy()
                .register(TenantCredential.of("acme", "awx:5")))).tenant("acme", "pending");
        ConnectionProfile profile = new ConnectionProfile("203.0.113.9", 22, "deploy", "awx:5");
        h.provisioner.request(ProvisioningRequest.builder("acme").deploymentMode(DeploymentMode.CUSTOMER_HOSTED)
                .connectionProfile(profile).extraVar("region", "eu").releaseVersion("1.2.3").build());
        h.step();

        Map<String, Object> vars = h.runner.launches().get(0).extraVars();
        assertThat(vars).containsEntry("region", "eu")
                .containsEntry(PlaybookVariables.TENANT_ID, "acme")
                .containsEntry(PlaybookVariables.TENANT_SLUG, "acme")
                .containsEntry(PlaybookVariables.DEPLOYMENT_MODE, "customer_hosted")
                .containsEntry(PlaybookVariables.OPERATION, "provision")
                .containsEntry(PlaybookVariables.RELEASE_VERSION, "1.2.3")
                .containsEntry(PlaybookVariables.CONNECTION_PROFILE, profile.toMap())
                .containsKey(PlaybookVariables.PROVISIONING_JOB_ID)
                .containsKey(PlaybookVariables.PLATFORM_CALLBACK_TOKEN);
        assertThat(h.job(h.runner.launches().get(0).correlationId()).extraVars()).containsOnlyKeys("region");
    }
}
