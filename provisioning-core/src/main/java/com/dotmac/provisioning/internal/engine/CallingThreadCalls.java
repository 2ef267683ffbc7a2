package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runner calls on the thread that makes them, for a runner whose calls end when interrupted: a call is given up by
 * interrupting its thread, from the scheduler's timer ({@link Scheduler#scheduleTimeout}) after
 * {@code runnerCallTimeout}, or from the heartbeat when the job's lease is lost. Once the runner returns from a call
 * given up, the call throws as given up whatever the runner answered, and the interrupt is cleared, so it does not
 * reach the thread's later work. A call given up frees its place at once.
 *
 * <p>Should a call ignore the interrupt after all, it keeps its thread (and the job's work on it) until the runner
 * returns: when it is still in the runner 100 ms after it was given up, the scheduler is told
 * ({@link Scheduler#threadHeld}), and the core's {@code ExecutorScheduler} has one more
 * thread meanwhile, so its other work goes on.
 *
 * <p>Thread-safe; no thread of its own.
 */
final class CallingThreadCalls implements RunnerCalls {
    private final Duration timeout;
    private final LeaseHeartbeat heartbeat;
    private final Scheduler scheduler;
    private final int threads;
    /** One per call in progress (not given up): fair, so that waiting calls start in order. */
    private final Semaphore places;

    CallingThreadCalls(Duration timeout, int threads, Semaphore places, LeaseHeartbeat heartbeat,
            Scheduler scheduler) {
        this.timeout = timeout;
        this.heartbeat = heartbeat;
        this.scheduler = scheduler;
        this.threads = threads;
        this.places = places;
    }

    @Override
    public <T> T call(String what, @Nullable String jobId, Supplier<T> work) {
        Call call = new Call(Thread.currentThread());
        Runnable unwatch = jobId == null ? () -> { } : heartbeat.watchCall(jobId, call::leaseLost);
        try {
            boolean placed;
            try {
                placed = places.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AutomationException.transientFailure(ErrorCodes.RUNNER_CALL_TIMED_OUT, "interrupted while "
                        + "waiting for the runner's " + what, null);
            }
            if (!placed) {
                throw BoundedRunner.noPlace(what, timeout, threads);
            }
            if (!call.start()) {
                places.release();
                throw BoundedRunner.lostBeforeStart(what);
            }
            return run(what, call, work);
        } finally {
            unwatch.run();
        }
    }

    /** Runs a call that has its place; the place is freed when it ends or is given up, whichever comes first. */
    private <T> T run(String what, Call call, Supplier<T> work) {
        Scheduler.Cancellable deadline;
        try {
            deadline = scheduler.scheduleTimeout(call::timedOut, timeout);
        } catch (RejectedExecutionException e) {
            call.end();
            throw AutomationException.notTaken(ErrorCodes.RUNNER_CALL_TIMED_OUT, "the runner's " + what
                    + " was not started: the engine's scheduler is closed", null, null);
        }
        T answer;
        try {
            answer = work.get();
        } catch (RuntimeException | Error e) {
            deadline.cancel();
            end(what, call);
            throw e;
        }
        deadline.cancel();
        end(what, call);
        return answer;
    }

    /** Ends a call; when it was given up, clears the interrupt that gave it up and throws why. */
    private void end(String what, Call call) {
        int ended = call.end();
        if (ended == Call.DONE) {
            return;
        }
        // given up: the interrupt was ours, and is not left for the thread's later work
        Thread.interrupted();
        if (ended == Call.LEASE_LOST) {
            throw BoundedRunner.leaseLost(what);
        }
        throw BoundedRunner.timedOut(what, timeout);
    }

    /**
     * One call: waiting for a place, then running on its thread, then done or given up. The thread is interrupted
     * only while the call is running, under this object's lock, so no interrupt comes after {@link #end()}.
     */
    private final class Call {
        static final int WAITING = 0;
        static final int RUNNING = 1;
        static final int DONE = 2;
        static final int TIMED_OUT = 3;
        static final int LEASE_LOST = 4;

        private final Thread thread;
        private int state = WAITING;
        private boolean lost;
        private @Nullable Runnable held;

        Call(Thread thread) {
            this.thread = thread;
        }

        /** @return whether the call may start (its lease was not lost while it waited for a place) */
        synchronized boolean start() {
            if (lost) {
                return false;
            }
            state = RUNNING;
            return true;
        }

        void timedOut() {
            giveUp(TIMED_OUT);
        }

        void leaseLost() {
            synchronized (this) {
                lost = true;
            }
            giveUp(LEASE_LOST);
        }

        private void giveUp(int why) {
            synchronized (this) {
                if (state != RUNNING) {
                    return;
                }
                state = why;
                thread.interrupt();
                places.release();
            }
            // a call that ends when interrupted is back at once; only one still in the runner after a moment is held
            try {
                scheduler.scheduleTimeout(this::stillHeld, HELD_AFTER);
            } catch (RejectedExecutionException e) {
                stillHeld();
            }
        }

        /** Tells the scheduler that the call's thread is held, unless the call has ended meanwhile. */
        private void stillHeld() {
            synchronized (this) {
                if (held == FREED) {
                    return;
                }
            }
            // outside the lock: the scheduler may start a thread; end() runs the handle once it is set
            Runnable handle = scheduler.threadHeld(thread);
            boolean free;
            synchronized (this) {
                free = held == FREED;
                if (!free) {
                    held = handle;
                }
            }
            if (free) {
                handle.run();
            }
        }

        /** @return how the call ended: {@link #DONE}, or why it was given up (its place is freed either way) */
        int end() {
            Runnable handle;
            int ended;
            synchronized (this) {
                ended = state;
                if (state == RUNNING || state == WAITING) {
                    state = DONE;
                    places.release();
                    return DONE;
                }
                handle = held;
                held = FREED;
            }
            if (handle != null && handle != FREED) {
                handle.run();
            }
            return ended;
        }
    }

    /** How long after a call was given up its thread counts as held, if the call has not ended by then. */
    private static final Duration HELD_AFTER = Duration.ofMillis(100);

    /** Marks a given-up call's thread as free again before the scheduler's handle came back. */
    private static final Runnable FREED = () -> { };
}
