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
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
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
 * minute) of {@code runnerCallThreads} threads, plus one for each call given up while it is still in the runner (the
 * pool grows by one when such a call is given up, and shrinks back when the runner returns from it); the target
 * runner must be thread-safe, as the port requires.
 */
final class BoundedRunner implements AutomationRunner {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final AutomationRunner target;
    private final Duration timeout;
    private final LeaseHeartbeat heartbeat;
    private final ThreadPoolExecutor calls;
    private final int threads;
    /** One per call in progress (not given up): fair, so that waiting calls start in order. */
    private final Semaphore places;

    BoundedRunner(AutomationRunner target, Duration timeout, int threads, LeaseHeartbeat heartbeat) {
        this.target = target;
        this.timeout = timeout;
        this.heartbeat = heartbeat;
        this.threads = threads;
        this.places = new Semaphore(threads, true);
        this.calls = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "provisioning-runner-call-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.calls.allowCoreThreadTimeOut(true);
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
        Call<T> future = new Call<>(work);
        Runnable unwatch = jobId == null ? () -> { } : heartbeat.watchCall(jobId, future);
        boolean placed = false;
        boolean submitted = false;
        boolean gaveUp = true;
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
            submitted = true;
            T answer = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            gaveUp = false;
            return answer;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw AutomationException.transientFailure(ErrorCodes.RUNNER_CALL_TIMED_OUT,
                    "the runner's " + what + " did not return within " + timeout + " (runnerCallTimeout); gave up on "
                            + "it", null);
        } catch (CancellationException e) {
            throw leaseLost(what);
        } catch (ExecutionException e) {
            gaveUp = false;
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
                if (submitted && gaveUp) {
                    future.leave();
                }
                places.release();
            }
            unwatch.run();
        }
    }

    /**
     * One more pool thread while a call given up is still in the runner (its own thread stays busy). Called under
     * this object's lock together with the call's state change, so that a call's growth comes before its shrink.
     */
    private void resize(int by) {
        if (by > 0) {
            calls.setMaximumPoolSize(calls.getMaximumPoolSize() + by);
            calls.setCorePoolSize(calls.getCorePoolSize() + by);
        } else {
            calls.setCorePoolSize(calls.getCorePoolSize() + by);
            calls.setMaximumPoolSize(calls.getMaximumPoolSize() + by);
        }
    }

    /**
     * A call on the pool. Its caller {@linkplain #leave() leaves} it when it gives up on it; when that happens before
     * the pool's thread is done with it, the pool gets one more thread until it is.
     */
    private final class Call<T> extends FutureTask<T> {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int LEFT = 2;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        Call(Callable<T> work) {
            super(work);
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                synchronized (BoundedRunner.this) {
                    if (!state.compareAndSet(RUNNING, DONE)) {
                        resize(-1);
                    }
                }
            }
        }

        /** The caller gave up on this call: while the pool's thread is still on it, the pool has one more. */
        void leave() {
            synchronized (BoundedRunner.this) {
                if (state.compareAndSet(RUNNING, LEFT)) {
                    resize(1);
                }
            }
        }
    }

    private static AutomationException leaseLost(String what) {
        return AutomationException.transientFailure(ErrorCodes.LEASE_LOST, "gave up the runner's " + what
                + ": this node could not keep the job's lease", null);
    }
}
