package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The runner as the engine calls it: every call (launch, searches, polls, cancels) is given up after
 * {@code runnerCallTimeout} from its start ({@link ErrorCodes#RUNNER_CALL_TIMED_OUT}, a transient failure), or as soon
 * as {@link LeaseHeartbeat} finds that the job's lease is lost ({@link ErrorCodes#LEASE_LOST}). What the runner throws
 * otherwise is rethrown as it is.
 *
 * <p>At most {@code runnerCallThreads} calls are in progress at once: a call beyond them waits (in order) for one to
 * end, at most a {@code runnerCallTimeout}, and is then given up without having started. A call given up frees its
 * place at once, even if the runner never returns from it, so calls stuck in the runner cannot keep the others
 * waiting for ever.
 *
 * <p>Where a call runs depends on the runner ({@link AutomationRunner#callsEndWhenInterrupted()}): on the thread that
 * makes it, given up by interrupting that thread ({@link CallingThreadCalls}: no thread of its own), or on a thread of
 * the runner-call pool that the calling thread waits for ({@link RunnerCallPool}), so that a call that ignores
 * interrupts is given up all the same and the job goes on at once.
 *
 * <p>Thread-safe; the target runner must be thread-safe, as the port requires.
 */
final class BoundedRunner implements AutomationRunner {
    private final AutomationRunner target;
    private final RunnerCalls calls;

    BoundedRunner(AutomationRunner target, Duration timeout, int threads, LeaseHeartbeat heartbeat,
            Scheduler scheduler) {
        this.target = target;
        Semaphore places = new Semaphore(threads, true);
        this.calls = target.callsEndWhenInterrupted()
                ? new CallingThreadCalls(timeout, threads, places, heartbeat, scheduler)
                : new RunnerCallPool(timeout, threads, places, heartbeat);
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        return calls.call("launch", spec.job().id(), () -> target.launch(spec));
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return calls.call("search for runs", spec.job().id(), () -> target.findRuns(spec));
    }

    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        return calls.call("search for late runs", null, () -> target.findRunsOfJobs(specs));
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        return calls.call("poll", null, () -> target.poll(runIds));
    }

    @Override
    public void cancel(String runId) {
        calls.call("cancel", null, () -> {
            target.cancel(runId);
            return null;
        });
    }

    @Override
    public int maxConcurrentRuns() {
        return target.maxConcurrentRuns();
    }

    @Override
    public Duration launchSettleTime() {
        return target.launchSettleTime();
    }

    @Override
    public RunnerHealth health() {
        return target.health();
    }

    @Override
    public boolean callsEndWhenInterrupted() {
        return target.callsEndWhenInterrupted();
    }

    static AutomationException noPlace(String what, Duration timeout, int threads) {
        // never started: surely not taken, so a launch needs no search for its run
        return AutomationException.notTaken(ErrorCodes.RUNNER_CALL_TIMED_OUT, "the runner's " + what
                + " could not start within " + timeout + " (runnerCallTimeout): all " + threads
                + " runner call threads (runnerCallThreads) were busy; gave up on it", null, null);
    }

    static AutomationException lostBeforeStart(String what) {
        return AutomationException.notTaken(ErrorCodes.LEASE_LOST, "gave up the runner's " + what
                + " before it started: this node could not keep the job's lease", null, null);
    }

    static AutomationException timedOut(String what, Duration timeout) {
        return AutomationException.transientFailure(ErrorCodes.RUNNER_CALL_TIMED_OUT,
                "the runner's " + what + " did not return within " + timeout + " (runnerCallTimeout); gave up on "
                        + "it", null);
    }

    static AutomationException leaseLost(String what) {
        return AutomationException.transientFailure(ErrorCodes.LEASE_LOST, "gave up the runner's " + what
                + ": this node could not keep the job's lease", null);
    }
}
