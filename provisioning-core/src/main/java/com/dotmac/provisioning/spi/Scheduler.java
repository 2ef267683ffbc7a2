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
     * Runs a short periodic task that must not wait behind the engine's work, such as the renewal of this node's
     * leases: were it queued behind runner calls that take long, a live node would lose the jobs it works on. The
     * default runs it on a thread of its own (a daemon named {@code provisioning-heartbeat-<n>}) that
     * {@link Cancellable#cancel()} ends; a scheduler whose threads are never all busy may run it with its other
     * work, and a test scheduler may run it when the test says so.
     *
     * @param task the work; what it throws is logged and does not stop later runs
     * @param interval between the end of one run and the start of the next (the first run is one interval away)
     * @return a handle that stops further runs
     */
    default Cancellable scheduleHeartbeat(Runnable task, Duration interval) {
        return HeartbeatThread.start(task, interval);
    }

    /**
     * Runs a periodic task that may take long and must never hold up the engine's work, such as the delivery of
     * outbox events to the host's consumers (a slow consumer delays events, not jobs). The default runs it on a
     * thread of its own (a daemon named {@code provisioning-<name>-<n>}) that {@link Cancellable#cancel()} ends; a
     * test scheduler may run it when the test says so.
     *
     * @param name a short name for the thread, e.g. {@code events}
     * @param task the work; what it throws is logged and does not stop later runs
     * @param interval between the end of one run and the start of the next (the first run is one interval away)
     * @return a handle that stops further runs
     */
    default Cancellable scheduleOnOwnThread(String name, Runnable task, Duration interval) {
        return HeartbeatThread.start("provisioning-" + name, task, interval);
    }

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
