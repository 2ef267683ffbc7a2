package com.dotmac.provisioning.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Launches and follows automation runs: AWX job templates ({@code provisioning-awx}), {@code ansible-playbook}
 * locally, or a script in tests. Implementations must be thread-safe: the engine calls them from several threads.
 *
 * <p>Every method may throw {@link AutomationException}; {@link AutomationException#isTransient()} decides whether
 * the engine retries. No method may log or throw a secret.
 *
 * <p>Every implementation passes {@code AutomationRunnerContractTest} from the core's test-jar.
 */
public interface AutomationRunner {

    /**
     * Starts the job's run.
     *
     * @param spec the job and its complete extra vars
     * @return the new run
     * @throws AutomationException transient (retry) or permanent (the job fails with its code and message)
     */
    LaunchedRun launch(LaunchSpec spec);

    /**
     * Looks for a run of this job that an earlier attempt may have started (the engine crashed, or the launch's
     * answer was lost), by the correlation id {@code provisioning_job_id} in its extra vars. Called before every
     * launch after the first attempt began, so that a job is never launched twice.
     *
     * @param spec the job, as it would be launched
     * @return the run started for this job at or after {@link LaunchSpec#launchPendingSince()}, or empty when none
     *     exists
     * @throws AutomationException when the runner cannot tell (the engine does not launch then)
     */
    Optional<LaunchedRun> findLaunched(LaunchSpec spec);

    /**
     * Every run of this job that exists, oldest first: normally none or one, but when a launch's outcome was unknown
     * (its answer was lost and the automation service started the run late) there may be two. The engine follows
     * the first and cancels the others. Implement it when the service can hold several runs of one job; the default
     * is {@link #findLaunched}.
     *
     * @param spec the job, as it would be launched
     * @return its runs started at or after {@link LaunchSpec#launchPendingSince()}, oldest first; may be empty
     * @throws AutomationException when the runner cannot tell
     */
    default List<LaunchedRun> findRuns(LaunchSpec spec) {
        return findLaunched(spec).map(List::of).orElse(List.of());
    }

    /**
     * {@link #findRuns} for several jobs at once. The engine calls it periodically for the jobs launched after
     * uncertain attempts, to find runs that the service started late and cancel them. Override it when one request
     * can answer for many jobs (AWX: one listing per job template); the default calls {@link #findRuns} per job.
     *
     * @param specs the jobs, as they would be launched
     * @return per job id ({@link LaunchSpec#correlationId()}), its runs oldest first; a job without runs may be absent
     * @throws AutomationException when the runner cannot tell
     */
    default Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        Map<String, List<LaunchedRun>> runs = new java.util.LinkedHashMap<>();
        for (LaunchSpec spec : specs) {
            List<LaunchedRun> found = findRuns(spec);
            if (!found.isEmpty()) {
                runs.put(spec.correlationId(), found);
            }
        }
        return runs;
    }

    /**
     * Reads the state of many runs at once (AWX: 200 per request).
     *
     * @param runIds run ids returned by {@link #launch} or {@link #findLaunched}
     * @return a status for every given id; a run the runner no longer knows is {@link RunState#LOST}; failed runs
     *     carry a detail naming the failed task and host where the runner can tell
     * @throws AutomationException when the runs could not be read (all of them are checked again later)
     */
    Map<String, RunStatus> poll(Collection<String> runIds);

    /**
     * Asks the runner to stop a run. Asynchronous: {@link #poll} later shows {@link RunState#CANCELED}. Cancelling a
     * run that has already ended is not an error.
     *
     * @param runId the run
     * @throws AutomationException when the request could not be delivered
     */
    void cancel(String runId);

    /**
     * The most runs this runner can have in flight at once (e.g. the local runner's process limit). The engine
     * keeps jobs queued rather than launching past it, so a full runner does not use up launch attempts.
     *
     * @return the limit, or 0 for none (the default)
     */
    default int maxConcurrentRuns() {
        return 0;
    }

    /**
     * Checks reachability and configuration (AWX: {@code /ping/} and every configured template).
     *
     * @return what an operator should know; never throws
     */
    default RunnerHealth health() {
        return RunnerHealth.healthy(getClass().getSimpleName() + " has no health check");
    }
}
