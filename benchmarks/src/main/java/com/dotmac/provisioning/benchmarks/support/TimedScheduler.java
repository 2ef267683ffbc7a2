package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Scheduler} that times what another one runs: the periodic tasks (the engine's sweep; its retention purge
 * when due) and the one-off tasks (driving a job: a launch, a hand-over after a request), with how long one-off
 * tasks waited in the queue before a thread took them. Heartbeats, time bounds, held threads and own-thread tasks
 * are passed on untimed (they do not use the scheduler's threads). Thread-safe when the wrapped scheduler is.
 */
public final class TimedScheduler implements Scheduler {
    private final Scheduler target;
    private final AtomicLong periodicRuns = new AtomicLong();
    private final AtomicLong periodicNanos = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong taskNanos = new AtomicLong();
    private final AtomicLong waitNanos = new AtomicLong();

    /** @param target the scheduler that runs the tasks */
    public TimedScheduler(Scheduler target) {
        this.target = target;
    }

    /**
     * What ran so far.
     *
     * @param periodicRuns runs of periodic tasks (sweeps)
     * @param periodicSeconds their durations summed
     * @param tasks one-off tasks run
     * @param taskSeconds their durations summed
     * @param waitSeconds how long they waited for a thread, summed
     */
    public record Times(long periodicRuns, double periodicSeconds, long tasks, double taskSeconds,
            double waitSeconds) {
    }

    /** @return the times so far */
    public Times times() {
        return new Times(periodicRuns.get(), periodicNanos.get() / 1e9, tasks.get(), taskNanos.get() / 1e9,
                waitNanos.get() / 1e9);
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        return target.scheduleWithFixedDelay(() -> {
            long start = System.nanoTime();
            try {
                task.run();
            } finally {
                periodicNanos.addAndGet(System.nanoTime() - start);
                periodicRuns.incrementAndGet();
            }
        }, initialDelay, delay);
    }

    @Override
    public Cancellable scheduleHeartbeat(Runnable task, Duration interval) {
        return target.scheduleHeartbeat(task, interval);
    }

    @Override
    public Cancellable scheduleTimeout(Runnable task, Duration delay) {
        return target.scheduleTimeout(task, delay);
    }

    @Override
    public Runnable threadHeld(Thread thread) {
        return target.threadHeld(thread);
    }

    @Override
    public Cancellable scheduleOnOwnThread(String name, Runnable task, Duration interval) {
        return target.scheduleOnOwnThread(name, task, interval);
    }

    @Override
    public void execute(Runnable task) {
        long queued = System.nanoTime();
        target.execute(() -> {
            long start = System.nanoTime();
            waitNanos.addAndGet(start - queued);
            try {
                task.run();
            } finally {
                taskNanos.addAndGet(System.nanoTime() - start);
                tasks.incrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        target.close();
    }
}
