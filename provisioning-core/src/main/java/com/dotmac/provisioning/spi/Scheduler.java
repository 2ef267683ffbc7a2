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
     * Runs a short task once, after a delay in real time, on a thread that the engine's work never keeps busy: the
     * engine gives up a runner call this way when its {@code runnerCallTimeout} has passed (the task interrupts the
     * thread that makes the call). The default runs it on a timer thread shared by every scheduler that does not
     * override this method (a daemon named {@code provisioning-timer}, which ends after a minute without tasks); the
     * core's {@code ExecutorScheduler} runs it on its own timer thread, together with its heartbeat. Even a test
     * scheduler should run it in real time: a runner call that hangs would otherwise hang the test.
     *
     * @param task the work, short and non-blocking; what it throws is logged
     * @param delay how long from now
     * @return a handle that stops the task if it has not run yet
     */
    default Cancellable scheduleTimeout(Runnable task, Duration delay) {
        return SharedTimer.schedule(task, delay);
    }

    /**
     * Says that a thread is held by a runner call that the engine has given up on but that has not returned (the
     * runner ignores interrupts), so that a scheduler that owns the thread can start another one meanwhile and its
     * other work does not stall behind the held one. Called from another thread (the one that gave the call up). The
     * default does nothing: a scheduler that cannot add a thread keeps one fewer until the runner returns.
     *
     * @param thread the held thread; possibly not one of this scheduler's (e.g. a host's request thread)
     * @return what the engine runs once the thread is free again (exactly once)
     */
    default Runnable threadHeld(Thread thread) {
        return () -> { };
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
