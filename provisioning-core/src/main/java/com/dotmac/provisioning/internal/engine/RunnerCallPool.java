package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runner calls on the runner-call pool, for a runner whose calls may ignore interrupts: the calling thread waits for
 * the pool's thread at most a {@code runnerCallTimeout} (or until the job's lease is lost) and then goes on, even if
 * the runner never returns from the call. A call given up frees its place at once.
 *
 * <p>Thread-safe: calls run on a pool of daemon threads ({@code provisioning-runner-call-<n>}, idle ones end after a
 * minute) of {@code runnerCallThreads} threads, plus one for each call given up while it is still in the runner (the
 * pool grows by one when such a call is given up, and shrinks back when the runner returns from it).
 */
final class RunnerCallPool implements RunnerCalls {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Duration timeout;
    private final LeaseHeartbeat heartbeat;
    private final ThreadPoolExecutor calls;
    private final int threads;
    /** One per call in progress (not given up): fair, so that waiting calls start in order. */
    private final Semaphore places;

    RunnerCallPool(Duration timeout, int threads, Semaphore places, LeaseHeartbeat heartbeat) {
        this.timeout = timeout;
        this.heartbeat = heartbeat;
        this.threads = threads;
        this.places = places;
        this.calls = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "provisioning-runner-call-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.calls.allowCoreThreadTimeOut(true);
    }

    @Override
    public <T> T call(String what, @Nullable String jobId, Supplier<T> work) {
        Call<T> future = new Call<>(work);
        Runnable unwatch = jobId == null ? () -> { } : heartbeat.watchCall(jobId, () -> future.cancel(true));
        boolean placed = false;
        boolean submitted = false;
        boolean gaveUp = true;
        try {
            placed = places.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!placed) {
                throw BoundedRunner.noPlace(what, timeout, threads);
            }
            if (future.isCancelled()) {
                throw BoundedRunner.lostBeforeStart(what);
            }
            calls.execute(future);
            submitted = true;
            T answer = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            gaveUp = false;
            return answer;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw BoundedRunner.timedOut(what, timeout);
        } catch (CancellationException e) {
            throw BoundedRunner.leaseLost(what);
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

        Call(Supplier<T> work) {
            super(work::get);
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                synchronized (RunnerCallPool.this) {
                    if (!state.compareAndSet(RUNNING, DONE)) {
                        resize(-1);
                    }
                }
            }
        }

        /** The caller gave up on this call: while the pool's thread is still on it, the pool has one more. */
        void leave() {
            synchronized (RunnerCallPool.this) {
                if (state.compareAndSet(RUNNING, LEFT)) {
                    resize(1);
                }
            }
        }
    }
}
