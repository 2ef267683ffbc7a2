package com.dotmac.provisioning.scheduler;

import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on a {@link ScheduledThreadPoolExecutor} of daemon threads named
 * {@code provisioning-<n>}. A task's exception is logged and does not stop a periodic task. Thread-safe.
 */
public final class ExecutorScheduler implements Scheduler {
    /** Threads used when none are given: 4. */
    public static final int DEFAULT_THREADS = 4;
    /** How long {@link #close()} waits for running tasks: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    private final Duration shutdownTimeout;

    /** A scheduler with {@link #DEFAULT_THREADS} threads. */
    public ExecutorScheduler() {
        this(DEFAULT_THREADS, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * @param threads pool size, at least 1
     * @param shutdownTimeout how long {@link #close()} waits for running tasks
     */
    public ExecutorScheduler(int threads, Duration shutdownTimeout) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "provisioning-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ScheduledThreadPoolExecutor(threads, factory);
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        ScheduledFuture<?> future = executor.scheduleWithFixedDelay(guarded(task),
                initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

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
