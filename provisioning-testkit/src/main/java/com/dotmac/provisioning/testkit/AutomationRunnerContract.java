package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunnerHealth;
import com.dotmac.provisioning.spi.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AutomationRunner} must have. An implementation's test extends this class, returns the
 * runner from {@link #runner()}, makes runs end as asked in {@link #prepare(LaunchSpec, Outcome)} (for example by
 * scripting a fake service, or by an extra var its test playbook reads), and exposes what reached the automation
 * ({@link #extraVarsReceived}), the capacity it configured ({@link #configuredMaxConcurrentRuns}) and a runner whose
 * automation is missing ({@link #runnerWithoutItsAutomation}).
 *
 * <pre>{@code
 * class MyRunnerContractTest extends AutomationRunnerContract {
 *     private final MyRunner runner = new MyRunner(...);
 *     protected AutomationRunner runner() { return runner; }
 *     protected LaunchSpec prepare(LaunchSpec spec, Outcome outcome) { ...; return spec; }
 *     protected Map<String, Object> extraVarsReceived(String runId) { return fakeService.launchOf(runId).vars(); }
 *     protected int configuredMaxConcurrentRuns() { return 0; }
 *     protected Optional<AutomationRunner> runnerWithoutItsAutomation() { return Optional.of(new MyRunner(down)); }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread.
 */
public abstract class AutomationRunnerContract {

    /** How a prepared run must end. */
    protected enum Outcome {
        /** Succeeds, reporting the artifact {@code contract_artifact: "ok"}. */
        SUCCEED,
        /** Fails in the task {@link #failingTask()} on a host. */
        FAIL,
        /** Keeps running until cancelled. */
        HANG
    }

    /** @return the runner under test (the same instance for the whole test) */
    protected abstract AutomationRunner runner();

    /**
     * Arranges that the run launched from the returned spec ends with {@code outcome}.
     *
     * @param spec a spec made by the contract
     * @param outcome how the run must end
     * @return the spec to launch (the same, or with extra vars the fixture needs)
     */
    protected abstract LaunchSpec prepare(LaunchSpec spec, Outcome outcome);

    /** @return the task name a {@link Outcome#FAIL} run fails in; its failure detail must name it */
    protected String failingTask() {
        return "contract failing task";
    }

    /** @return the longest a run may take to end */
    protected Duration runTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * What reached the automation for a run, read on the automation's side, never from the spec the test launched:
     * for example the launch a fake service recorded, the variables a test playbook reported, or the runner's own
     * record of what it launched when there is no service behind it. Every runner's test must answer: a runner whose
     * launches cannot be observed cannot show that it passes the job's variables on.
     *
     * @param runId a run this runner launched
     * @return the extra vars the automation received for it; at least the job's id, tenant, operation, deployment
     *     mode and the {@code region} var the contract's specs carry
     */
    protected abstract Map<String, Object> extraVarsReceived(String runId);

    /**
     * @return how many runs the runner under test was configured to allow at once, as {@link
     *     AutomationRunner#maxConcurrentRuns()} must report it (0 when it declares no limit)
     */
    protected abstract int configuredMaxConcurrentRuns();

    /**
     * A runner of the same kind whose automation cannot be used (unreachable service, missing executable), for the
     * health check to report; the contract closes it when it is {@link AutoCloseable}.
     *
     * @return that runner, or empty only for a runner that has no automation behind it (its health is then always
     *     healthy)
     */
    protected abstract Optional<AutomationRunner> runnerWithoutItsAutomation();

    /**
     * @param tenantId the tenant
     * @return a spec for a new job of that tenant, as the engine builds it
     */
    protected LaunchSpec newSpec(String tenantId) {
        Instant now = Instant.now();
        ProvisioningJob job = ProvisioningJob.builder(UUID.randomUUID().toString())
                .tenantId(tenantId)
                .tenantSlug(tenantId)
                .operation(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .status(JobStatus.QUEUED)
                .requestedBy("contract")
                .createdAt(now)
                .updatedAt(now)
                .build();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("region", "eu-west-1");
        vars.put(PlaybookVariables.TENANT_ID, tenantId);
        vars.put(PlaybookVariables.TENANT_SLUG, tenantId);
        vars.put(PlaybookVariables.DEPLOYMENT_MODE, "dotmac_hosted");
        vars.put(PlaybookVariables.OPERATION, "provision");
        vars.put(PlaybookVariables.PROVISIONING_JOB_ID, job.id());
        return new LaunchSpec(job, vars, now.minusSeconds(1));
    }

    private RunStatus awaitEnd(String runId) {
        AtomicReference<RunStatus> last = new AtomicReference<>();
        await().atMost(runTimeout()).pollInterval(Duration.ofMillis(50)).until(() -> {
            RunStatus status = runner().poll(List.of(runId)).get(runId);
            last.set(status);
            return status != null && status.state().isFinal();
        });
        return Objects.requireNonNull(last.get(), "the run's final status");
    }

    private RunStatus pollOne(String runId) {
        RunStatus status = runner().poll(List.of(runId)).get(runId);
        assertThat(status).as("poll answers for run %s", runId).isNotNull();
        return Objects.requireNonNull(status);
    }

    @Test
    void aLaunchedRunSucceedsWithItsArtifacts() {
        LaunchSpec spec = prepare(newSpec("contract-ok"), Outcome.SUCCEED);

        LaunchedRun run = runner().launch(spec);
        RunStatus end = awaitEnd(run.runId());

        assertThat(run.runId()).isNotBlank();
        assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(end.artifacts()).containsEntry("contract_artifact", "ok");
    }

    @Test
    void theRunReceivesTheSpecsExtraVars() {
        LaunchSpec spec = prepare(newSpec("contract-vars"), Outcome.SUCCEED);
        LaunchedRun run = runner().launch(spec);
        awaitEnd(run.runId());

        Map<String, Object> received = extraVarsReceived(run.runId());
        assertThat(received).as("the extra vars the automation received for run %s", run.runId())
                .containsEntry(PlaybookVariables.PROVISIONING_JOB_ID, spec.correlationId())
                .containsEntry("region", "eu-west-1")
                .containsEntry(PlaybookVariables.TENANT_ID, "contract-vars")
                .containsEntry(PlaybookVariables.OPERATION, "provision")
                .containsEntry(PlaybookVariables.DEPLOYMENT_MODE, "dotmac_hosted");
    }

    @Test
    void eachRunReceivesTheVarsOfItsOwnJob() {
        LaunchSpec first = prepare(newSpec("contract-own-1"), Outcome.SUCCEED);
        LaunchSpec second = prepare(newSpec("contract-own-2"), Outcome.SUCCEED);
        LaunchedRun firstRun = runner().launch(first);
        LaunchedRun secondRun = runner().launch(second);
        awaitEnd(firstRun.runId());
        awaitEnd(secondRun.runId());

        assertThat(extraVarsReceived(firstRun.runId()))
                .containsEntry(PlaybookVariables.PROVISIONING_JOB_ID, first.correlationId())
                .containsEntry(PlaybookVariables.TENANT_ID, "contract-own-1");
        assertThat(extraVarsReceived(secondRun.runId()))
                .containsEntry(PlaybookVariables.PROVISIONING_JOB_ID, second.correlationId())
                .containsEntry(PlaybookVariables.TENANT_ID, "contract-own-2");
    }

    @Test
    void aFailedRunNamesTheFailedTask() {
        LaunchSpec spec = prepare(newSpec("contract-fail"), Outcome.FAIL);

        RunStatus end = awaitEnd(runner().launch(spec).runId());

        assertThat(end.state()).isEqualTo(RunState.FAILED);
        assertThat(end.detail()).isNotBlank().contains(failingTask());
    }

    @Test
    void findRunsFindsTheRunOfTheJobAndNoOther() {
        LaunchSpec launched = prepare(newSpec("contract-find"), Outcome.SUCCEED);
        LaunchSpec never = prepare(newSpec("contract-never"), Outcome.SUCCEED);

        LaunchedRun run = runner().launch(launched);

        assertThat(runner().findRuns(launched)).extracting(LaunchedRun::runId).containsExactly(run.runId());
        assertThat(runner().findRuns(never)).isEmpty();
        awaitEnd(run.runId());
    }

    @Test
    void findRunsFindsEveryRunOfTheJobAmongOthers() {
        LaunchSpec job = prepare(newSpec("contract-runs"), Outcome.SUCCEED);
        LaunchSpec other = prepare(newSpec("contract-runs-other"), Outcome.SUCCEED);
        LaunchedRun first = runner().launch(job);
        LaunchedRun otherRun = runner().launch(other);
        // a second launch of the same job: a runner starts a second run, or answers with the first one
        LaunchedRun second = runner().launch(job);
        Set<String> runsOfJob = new LinkedHashSet<>(List.of(first.runId(), second.runId()));

        assertThat(runner().findRuns(job)).extracting(LaunchedRun::runId)
                .containsExactlyInAnyOrderElementsOf(runsOfJob);
        assertThat(runner().findRuns(other)).extracting(LaunchedRun::runId).containsExactly(otherRun.runId());
        assertThat(runsOfJob).doesNotContain(otherRun.runId());
        runsOfJob.forEach(this::awaitEnd);
        awaitEnd(otherRun.runId());
    }

    @Test
    void findRunsOfJobsAnswersForEachJobAtOnce() {
        LaunchSpec first = prepare(newSpec("contract-many-1"), Outcome.SUCCEED);
        LaunchSpec second = prepare(newSpec("contract-many-2"), Outcome.SUCCEED);
        LaunchSpec never = prepare(newSpec("contract-many-never"), Outcome.SUCCEED);
        LaunchedRun firstRun = runner().launch(first);
        LaunchedRun secondRun = runner().launch(second);

        Map<String, List<LaunchedRun>> runs = runner().findRunsOfJobs(List.of(first, second, never));

        assertThat(runs.get(first.correlationId())).extracting(LaunchedRun::runId).containsExactly(firstRun.runId());
        assertThat(runs.get(second.correlationId())).extracting(LaunchedRun::runId)
                .containsExactly(secondRun.runId());
        assertThat(runs.getOrDefault(never.correlationId(), List.of())).isEmpty();
        awaitEnd(firstRun.runId());
        awaitEnd(secondRun.runId());
    }

    @Test
    void pollReportsEveryRunAskedFor() {
        LaunchedRun a = runner().launch(prepare(newSpec("contract-a"), Outcome.SUCCEED));
        LaunchedRun b = runner().launch(prepare(newSpec("contract-b"), Outcome.FAIL));

        Map<String, RunStatus> statuses = runner().poll(List.of(a.runId(), b.runId()));

        assertThat(statuses).containsOnlyKeys(a.runId(), b.runId());
        awaitEnd(a.runId());
        awaitEnd(b.runId());
    }

    @Test
    void aRunTheRunnerDoesNotKnowIsLost() {
        String unknown = unknownRunId();
        assertThat(pollOne(unknown).state()).isEqualTo(RunState.LOST);
    }

    /** @return a run id the runner has never issued */
    protected String unknownRunId() {
        return "987654321";
    }

    @Test
    void cancellingARunningRunEndsItCancelled() {
        LaunchedRun run = runner().launch(prepare(newSpec("contract-hang"), Outcome.HANG));

        runner().cancel(run.runId());

        assertThat(awaitEnd(run.runId()).state()).isEqualTo(RunState.CANCELED);
    }

    @Test
    void cancellingAFinishedRunIsNotAnError() {
        LaunchedRun run = runner().launch(prepare(newSpec("contract-done"), Outcome.SUCCEED));
        awaitEnd(run.runId());

        assertThatCode(() -> runner().cancel(run.runId())).doesNotThrowAnyException();
        assertThat(pollOne(run.runId()).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void theRunnerDeclaresTheCapacityItWasConfiguredWith() {
        assertThat(runner().maxConcurrentRuns()).isNotNegative().isEqualTo(configuredMaxConcurrentRuns());
    }

    @Test
    void healthIsHealthyWithItsAutomationAndNamesTheProblemsWithout() throws Exception {
        RunnerHealth up = runner().health();
        assertThat(up.healthy()).as("health with the automation in place: %s %s", up.summary(), up.problems())
                .isTrue();
        assertThat(up.summary()).isNotBlank();
        assertThat(up.problems()).isEmpty();

        Optional<AutomationRunner> broken = runnerWithoutItsAutomation();
        try {
            broken.ifPresent(runner -> {
                RunnerHealth down = runner.health();
                assertThat(down.healthy()).as("health without the automation: %s", down.summary()).isFalse();
                assertThat(down.problems()).as("what an operator must fix").isNotEmpty()
                        .allSatisfy(problem -> assertThat(problem).isNotBlank());
            });
        } finally {
            if (broken.isPresent() && broken.get() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @Test
    void theSpecsToStringHidesTheCallbackToken() {
        Map<String, Object> vars = new LinkedHashMap<>(newSpec("contract-secret").extraVars());
        vars.put(PlaybookVariables.PLATFORM_CALLBACK_TOKEN, "s3cr3t-token-value");
        LaunchSpec spec = new LaunchSpec(newSpec("contract-secret").job(), vars, Instant.now());
        assertThat(spec.toString()).doesNotContain("s3cr3t-token-value");
    }
}
