package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The runner as the engine calls it: every call (launch, searches, polls, cancels) runs on a thread of the runner-call
 * pool and is given up after {@code runnerCallTimeout} from its start ({@link ErrorCodes#RUNNER_CALL_TIMED_OUT}, a
 * transient failure), or as soon as {@link LeaseHeartbeat} finds that the job's lease is lost
 * ({@link ErrorCodes#LEASE_LOST}). A call given up is interrupted; the engine's thread does not wait for it. What the
 * runner throws is rethrown as it is.
 *
 * <p>At most {@code runnerCallThreads} calls are in progress at once: a call beyond them waits (in order) for one to
 * end, at most a {@code runnerCallTimeout}, and is then given up without having started. A call given up frees its
 * place at once, even if the runner never returns from it, so calls stuck in the runner cannot keep the others
 * waiting for ever (a sweep waiting on a queued call always gets an answer within two {@code runnerCallTimeout}s).
 *
 * <p>Thread-safe: calls run on a pool of daemon threads ({@code provisioning-runner-call-<n>}, idle ones end after a
 * minute) that holds one thread per call in progress, plus one per call given up that is still stuck in the runner;
 * the target runner must be thread-safe, as the port requires.
 */
final class BoundedRunner implements AutomationRunner {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final AutomationRunner target;
    private final Duration timeout;
    private final LeaseHeartbeat heartbeat;
    private final ExecutorService calls;
    private final int threads;
    /** One per call in progress (not given up): fair, so that waiting calls start in order. */
    private final Semaphore places;

    BoundedRunner(AutomationRunner target, Duration timeout, int threads, LeaseHeartbeat heartbeat) {
        this.target = target;
        this.timeout = timeout;
        this.heartbeat = heartbeat;
        this.threads = threads;
        this.places = new Semaphore(threads, true);
        this.calls = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "provisioning-runner-call-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        return call("launch", spec.job().id(), () -> target.launch(spec));
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return call("search for runs", spec.job().id(), () -> target.findRuns(spec));
    }

    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        return call("search for late runs", null, () -> target.findRunsOfJobs(specs));
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        return call("poll", null, () -> target.poll(runIds));
    }

    @Override
    public void cancel(String runId) {
        call("cancel", null, () -> {
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

    private <T> T call(String what, @Nullable String jobId, Callable<T> work) {
        FutureTask<T> future = new FutureTask<>(work);
        Runnable unwatch = jobId == null ? () -> { } : heartbeat.watchCall(jobId, future);
        boolean placed = false;
        try {
            placed = places.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!placed) {
                // never started: surely not taken, so a launch needs no search for its run
                throw AutomationException.notTaken(ErrorCodes.RUNNER_CALL_TIMED_OUT, "the runner's " + what
                        + " could not start within " + timeout + " (runnerCallTimeout): all " + threads
                        + " runner call threads (runnerCallThreads) were busy; gave up on it", null, null);
            }
            if (future.isCancelled()) {
                throw AutomationException.notTaken(ErrorCodes.LEASE_LOST, "gave up the runner's " + what
                        + " before it started: this node could not keep the job's lease", null, null);
            }
            calls.execute(future);
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw AutomationException.transientFailure(ErrorCodes.RUNNER_CALL_TIMED_OUT,
                    "the runner's " + what + " did not return within " + timeout + " (runnerCallTimeout); gave up on "
                            + "it", null);
        } catch (CancellationException e) {
            throw leaseLost(what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the runner's " + what + " failed", cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw AutomationException.transientFailure(ErrorCodes.RUNNER_CALL_TIMED_OUT, "interrupted while waiting "
                    + "for the runner's " + what, null);
        } finally {
            if (placed) {
                places.release();
            }
            unwatch.run();
        }
    }

    private static AutomationException leaseLost(String what) {
        return AutomationException.transientFailure(ErrorCodes.LEASE_LOST, "gave up the runner's " + what
                + ": this node could not keep the job's lease", null);
    }
}
