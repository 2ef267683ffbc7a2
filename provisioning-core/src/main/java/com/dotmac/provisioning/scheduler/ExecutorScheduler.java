package com.dotmac.provisioning.scheduler;

import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on a {@link ScheduledThreadPoolExecutor} of daemon threads named {@code provisioning-<pool>-<n>}
 * (the sweep, the jobs' work and their runner calls), and one timer thread {@code provisioning-<pool>-timer}
 * ({@link SchedulerTimer}) for the lease heartbeat and the runner calls' time bounds: with the defaults
 * {@link #DEFAULT_THREADS} + 1 = 4 threads. While a runner call given up is still held in the runner
 * ({@link #threadHeld}), the pool has one more thread. A task's exception is logged and does not stop a periodic
 * task. Thread-safe.
 */
public final class ExecutorScheduler implements Scheduler {
    /** Threads used when none are given: 3 (plus the timer thread). */
    public static final int DEFAULT_THREADS = 3;
    /** How long {@link #close()} waits for running tasks: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    private final SchedulerTimer timer;
    private final Duration shutdownTimeout;
    /** The pool's live threads, to tell them from other threads in {@link #threadHeld}. */
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final HeldThreads held;

    /** A scheduler with {@link #DEFAULT_THREADS} threads and its timer thread. */
    public ExecutorScheduler() {
        this(DEFAULT_THREADS, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * @param threads pool size, at least 1 (the timer thread comes on top)
     * @param shutdownTimeout how long {@link #close()} waits for running tasks
     */
    public ExecutorScheduler(int threads, Duration shutdownTimeout) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                workers.add(Thread.currentThread());
                try {
                    r.run();
                } finally {
                    workers.remove(Thread.currentThread());
                }
            }, "provisioning-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ScheduledThreadPoolExecutor(threads, factory);
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = new SchedulerTimer("provisioning-" + pool + "-timer");
        this.held = new HeldThreads(this.executor);
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        ScheduledFuture<?> future = executor.scheduleWithFixedDelay(guarded(task),
                initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Runs the heartbeat on this scheduler's timer thread, never behind the pool's work. */
    @Override
    public Cancellable scheduleHeartbeat(Runnable task, Duration interval) {
        return timer.scheduleWithFixedDelay(task, interval);
    }

    /** Runs the task on this scheduler's timer thread (after a heartbeat in progress, if any). */
    @Override
    public Cancellable scheduleTimeout(Runnable task, Duration delay) {
        return timer.schedule(task, delay);
    }

    /**
     * When the thread is one of this pool's, the pool has one more thread until the returned handle runs, so that
     * the pool's other work does not stall; otherwise nothing.
     */
    @Override
    public Runnable threadHeld(Thread thread) {
        if (!workers.contains(thread)) {
            return () -> { };
        }
        return held.oneMoreThread();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    /** Stops the pool (waiting for running tasks at most the shutdown timeout), then the timer. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("provisioning tasks still running after {}; interrupting them", shutdownTimeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            timer.close();
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("a provisioning task failed; it will run again at its next turn", e);
            }
        };
    }
}
