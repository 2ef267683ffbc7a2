package com.dotmac.provisioning.spi;

import java.time.Duration;

/**
 * Runs the engine's work: a periodic sweep and "process this job soon" tasks. The default is the core's
 * {@code ExecutorScheduler} (daemon threads); Spring hosts use their {@code TaskScheduler}. Implementations must
 * be thread-safe and must catch and log what a task throws, so that a periodic task keeps running.
 */
public interface Scheduler extends AutoCloseable {

    /**
     * @param task the work
     * @param initialDelay before the first run
     * @param delay between the end of one run and the start of the next
     * @return a handle that stops further runs
     */
    Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay);

    /**
     * Runs a task soon, on another thread.
     *
     * @param task the work
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler is closed
     */
    void execute(Runnable task);

    /** Stops accepting work and waits a bounded time for running tasks. Idempotent. */
    @Override
    void close();

    /** A scheduled task that can be stopped. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops further runs; a run in progress completes. */
        void cancel();
    }
}
