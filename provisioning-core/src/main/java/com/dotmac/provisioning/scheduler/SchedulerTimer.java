package com.dotmac.provisioning.scheduler;

import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread for the short tasks of a {@link Scheduler} that must never wait behind the engine's work: the
 * lease heartbeat ({@link Scheduler#scheduleHeartbeat}) and the time bounds of runner calls
 * ({@link Scheduler#scheduleTimeout}). A task's exception is logged and does not stop a periodic task. A time bound
 * that falls due while a heartbeat is running (one {@code renewLeases} write) runs right after it.
 *
 * <p>Thread-safe. The thread starts with the first task and ends at {@link #close()}.
 */
public final class SchedulerTimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerTimer.class);

    private final ScheduledThreadPoolExecutor timer;

    /** @param threadName the name of the timer's thread, e.g. {@code provisioning-1-timer} */
    public SchedulerTimer(String threadName) {
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Runs a short periodic task on the timer's thread.
     *
     * @param task the work; what it throws is logged and does not stop later runs
     * @param interval between the end of one run and the start of the next (the first run is one interval away)
     * @return a handle that stops further runs
     * @throws java.util.concurrent.RejectedExecutionException when the timer is closed
     */
    public Scheduler.Cancellable scheduleWithFixedDelay(Runnable task, Duration interval) {
        long nanos = interval.toNanos();
        ScheduledFuture<?> future = timer.scheduleWithFixedDelay(guarded(task), nanos, nanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /**
     * Runs a short task once on the timer's thread.
     *
     * @param task the work; what it throws is logged
     * @param delay how long from now
     * @return a handle that stops the task if it has not run yet
     * @throws java.util.concurrent.RejectedExecutionException when the timer is closed
     */
    public Scheduler.Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = timer.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Ends the timer's thread; tasks not yet run are dropped. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("a provisioning timer task failed; a periodic one runs again at its next turn", e);
            }
        };
    }
}
