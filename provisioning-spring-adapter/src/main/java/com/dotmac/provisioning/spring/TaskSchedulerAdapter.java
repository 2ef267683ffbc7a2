package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.scheduler.HeldThreads;
import com.dotmac.provisioning.scheduler.SchedulerTimer;
import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The engine's {@link Scheduler} on a Spring {@link ThreadPoolTaskScheduler}: the periodic sweep and immediate
 * work run on the scheduler's threads; the lease heartbeat and the runner calls' time bounds on one timer thread of
 * this adapter ({@code provisioning-timer-<n>}, {@link SchedulerTimer}), so that they never wait behind that work.
 * While a runner call given up is still held in the runner on one of the task scheduler's threads
 * ({@link #threadHeld}), the task scheduler has one more thread. Errors of a task are logged by Spring's error handler
 * and do not stop the periodic sweep. Thread-safe.
 */
public final class TaskSchedulerAdapter implements Scheduler {
    private static final AtomicInteger TIMERS = new AtomicInteger();

    private final ThreadPoolTaskScheduler taskScheduler;
    private final SchedulerTimer timer = new SchedulerTimer("provisioning-timer-" + TIMERS.incrementAndGet());
    /** The task scheduler's threads running the engine's tasks now. */
    private final Set<Thread> working = ConcurrentHashMap.newKeySet();
    /** Made at the first held thread: the task scheduler's executor exists once it is initialised. */
    private @Nullable HeldThreads held;

    /** @param taskScheduler an initialised scheduler; its lifecycle belongs to the Spring context */
    public TaskSchedulerAdapter(ThreadPoolTaskScheduler taskScheduler) {
        this.taskScheduler = taskScheduler;
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        ScheduledFuture<?> future = taskScheduler.scheduleWithFixedDelay(tracked(task),
                taskScheduler.getClock().instant().plus(initialDelay), delay);
        return () -> future.cancel(false);
    }

    /** Runs the heartbeat on this adapter's timer thread, never behind the task scheduler's work. */
    @Override
    public Cancellable scheduleHeartbeat(Runnable task, Duration interval) {
        return timer.scheduleWithFixedDelay(task, interval);
    }

    /** Runs the task on this adapter's timer thread. */
    @Override
    public Cancellable scheduleTimeout(Runnable task, Duration delay) {
        return timer.schedule(task, delay);
    }

    /**
     * When the thread is one of the task scheduler's running an engine task, the task scheduler has one more
     * thread until the returned handle runs; otherwise nothing.
     */
    @Override
    public Runnable threadHeld(Thread thread) {
        if (!working.contains(thread)) {
            return () -> { };
        }
        return heldThreads().oneMoreThread();
    }

    private synchronized HeldThreads heldThreads() {
        HeldThreads pool = held;
        if (pool == null) {
            pool = new HeldThreads(taskScheduler.getScheduledThreadPoolExecutor());
            held = pool;
        }
        return pool;
    }

    @Override
    public void execute(Runnable task) {
        taskScheduler.execute(tracked(task));
    }

    /** Ends the timer thread; the Spring context shuts the task scheduler down. Idempotent. */
    @Override
    public void close() {
        timer.close();
    }

    private Runnable tracked(Runnable task) {
        return () -> {
            Thread self = Thread.currentThread();
            working.add(self);
            try {
                task.run();
            } finally {
                working.remove(self);
            }
        };
    }
}
