package com.dotmac.provisioning.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches and follows automation runs: AWX job templates ({@code provisioning-awx}), {@code ansible-playbook}
 * locally, or a script in tests. The port holds only what the engine calls: {@link #launch}, {@link #findRuns},
 * {@link #poll} and {@link #cancel}, which every runner implements, and {@link #findRunsOfJobs},
 * {@link #maxConcurrentRuns}, {@link #launchSettleTime} and {@link #health}, whose defaults suit a runner that has
 * nothing better to offer.
 *
 * <p>Thread-safety: implementations must be thread-safe; the engine calls every method from several threads at
 * once, and several engines (nodes) may share one automation service.
 *
 * <p>Every method but {@link #health} may throw {@link AutomationException};
 * {@link AutomationException#isTransient()} decides whether the engine retries. No method may log or throw a
 * secret.
 *
 * <p>Every implementation passes {@code AutomationRunnerContract} from {@code provisioning-testkit}.
 */
public interface AutomationRunner {

    /**
     * Starts the job's run. The engine records that a launch is pending before calling it; on a later attempt it
     * calls it only after {@link #findRuns} found no run of an earlier one.
     *
     * @param spec the job and its complete extra vars
     * @return the new run
     * @throws AutomationException transient (the engine retries with back-off, looking for the run first) or
     *     permanent (the job fails with its code and message)
     */
    LaunchedRun launch(LaunchSpec spec);

    /**
     * Every run of this job that exists, oldest first, matched by the correlation id {@code provisioning_job_id}
     * in its extra vars. Called before every launch after the first attempt began (the engine crashed, or the
     * launch's answer was lost), so that a job is never launched twice, and before stopping a job whose launch was
     * uncertain. Normally none or one, but when a launch's outcome was unknown (its answer was lost and the
     * automation service started the run late) there may be two: the engine follows the first and cancels the
     * others.
     *
     * @param spec the job, as it would be launched
     * @return its runs started at or after {@link LaunchSpec#launchPendingSince()}, oldest first; empty when none
     *     exists
     * @throws AutomationException when the runner cannot tell: the engine does not launch then; a transient failure
     *     is asked again later, a permanent one fails a launching job
     */
    List<LaunchedRun> findRuns(LaunchSpec spec);

    /**
     * {@link #findRuns} for several jobs at once. The engine calls it periodically for the jobs launched after
     * uncertain attempts, to find runs that the service started late and cancel them. Override it when one request
     * can answer for many jobs (AWX: one listing per job template); the default calls {@link #findRuns} per job.
     *
     * @param specs the jobs, as they would be launched
     * @return per job id ({@link LaunchSpec#correlationId()}), its runs oldest first; a job without runs may be absent
     * @throws AutomationException when the runner cannot tell (the engine asks again at its next sweep)
     */
    default Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        Map<String, List<LaunchedRun>> runs = new LinkedHashMap<>();
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
     * @param runIds run ids returned by {@link #launch} or {@link #findRuns}
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
     * @throws AutomationException when the request could not be delivered (the engine asks again later)
     */
    void cancel(String runId);

    /**
     * Whether every call of this runner returns (or throws) soon after its thread is interrupted, and never blocks
     * where an interrupt does not reach (a classic socket read does not see one). When it does, the engine makes each
     * call on its own thread and gives it up after {@code runnerCallTimeout} by interrupting that thread: no second
     * thread per call. Otherwise (the default, the safe answer for a runner whose calls may block uninterruptibly, or
     * for a wrapper that adds code of its own) each call runs on a thread of the engine's runner-call pool while the
     * engine's thread waits for it, so that a call stuck in the runner can be given up and the job goes on at once.
     *
     * @return true only when every call ends soon once interrupted; false by default
     */
    default boolean callsEndWhenInterrupted() {
        return false;
    }

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
     * The longest time the automation service may still be processing a launch request after it received it: after
     * a {@link #launch} that failed transiently (its answer may have been lost while the service went on and started
     * the run), the engine neither looks for that run ({@link #findRuns}) nor launches again before this time has
     * passed since that launch call failed (or the engine gave it up after {@code runnerCallTimeout}). Within it, a run the service starts late is found and followed, never
     * launched a second time; a run the service starts later still is found by the engine's watch for late runs and
     * cancelled. AWX: {@code launchSettleTime} of its configuration (default twice the read timeout).
     *
     * <p>Thread-safe: read by the engine after each failed launch; it may change between calls.
     *
     * @return the settle time, not negative; {@link Duration#ZERO} (the default) for a runner whose failed launch
     *     never starts a run later (a local process, a script)
     */
    default Duration launchSettleTime() {
        return Duration.ZERO;
    }

    /**
     * Checks reachability and configuration (AWX: {@code /ping/} and every configured template). The engine does not
     * call it; hosts do (the Spring adapter's health indicator, a startup check).
     *
     * @return what an operator should know; the default reports healthy, saying there is no check
     */
    default RunnerHealth health() {
        return RunnerHealth.healthy(getClass().getSimpleName() + " has no health check");
    }
}
