package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link Scheduler} that runs nothing by itself: tests call {@link #runPending()} to run the queued tasks on the
 * test thread. Periodic tasks are remembered and run only when a test calls {@link #runPeriodic()} (or the sweep
 * directly); heartbeats (the engine's lease renewal) run when a test calls {@link #runHeartbeats()}. Thread-safe;
 * tasks run on the thread that asks.
 */
public final class ManualScheduler implements Scheduler {
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private final List<Runnable> periodic = new ArrayList<>();
    private final List<Runnable> heartbeats = new ArrayList<>();
    private final List<Runnable> ownThreadTasks = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        periodic.add(task);
        return () -> {
            synchronized (this) {
                periodic.remove(task);
            }
        };
    }

    /** Remembers the heartbeat; {@link #runHeartbeats()} runs it. */
    @Override
    public synchronized Cancellable scheduleHeartbeat(Runnable task, Duration interval) {
        heartbeats.add(task);
        return () -> {
            synchronized (this) {
                heartbeats.remove(task);
            }
        };
    }

    /**
     * Keeps a task that would run on a thread of its own (e.g. the outbox's event delivery); it runs when the test
     * calls {@link #runOwnThreadTasks()}.
     */
    @Override
    public synchronized Cancellable scheduleOnOwnThread(String name, Runnable task, Duration interval) {
        ownThreadTasks.add(task);
        return () -> {
            synchronized (this) {
                ownThreadTasks.remove(task);
            }
        };
    }

    /**
     * Runs every task kept by {@link #scheduleOnOwnThread} once, on the calling thread.
     *
     * @return how many ran
     */
    public int runOwnThreadTasks() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(ownThreadTasks);
        }
        due.forEach(Runnable::run);
        return due.size();
    }

    /**
     * Runs every heartbeat once (e.g. the engine's lease renewal), on the calling thread.
     *
     * @return how many ran
     */
    public int runHeartbeats() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(heartbeats);
        }
        due.forEach(Runnable::run);
        return due.size();
    }

    @Override
    public synchronized void execute(Runnable task) {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("closed");
        }
        queue.add(task);
    }

    /**
     * Runs queued tasks, including those they queue, until none is left.
     *
     * @return how many ran
     */
    public int runPending() {
        int ran = 0;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
            }
            if (next == null) {
                return ran;
            }
            next.run();
            ran++;
        }
    }

    /**
     * Runs every periodic task once, on the calling thread, in the order they were scheduled (e.g. the engine's sweep
     * and, when retention is on, its purge), then the tasks they queued.
     *
     * @return how many periodic tasks ran
     */
    public int runPeriodic() {
        List<Runnable> tasks;
        synchronized (this) {
            tasks = List.copyOf(periodic);
        }
        tasks.forEach(Runnable::run);
        runPending();
        return tasks.size();
    }

    /** @return how many tasks are queued */
    public synchronized int pending() {
        return queue.size();
    }

    /** @return how many periodic tasks are scheduled */
    public synchronized int periodicTasks() {
        return periodic.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
