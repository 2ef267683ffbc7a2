package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The engine's {@link Scheduler} on a Spring {@link ThreadPoolTaskScheduler}: the periodic sweep and immediate
 * work run on the scheduler's threads. Errors of a task are logged by Spring's error handler and do not stop the
 * periodic sweep. Thread-safe.
 */
public final class TaskSchedulerAdapter implements Scheduler {
    private final ThreadPoolTaskScheduler taskScheduler;

    /** @param taskScheduler an initialised scheduler; its lifecycle belongs to the Spring context */
    public TaskSchedulerAdapter(ThreadPoolTaskScheduler taskScheduler) {
        this.taskScheduler = taskScheduler;
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        ScheduledFuture<?> future = taskScheduler.scheduleWithFixedDelay(task,
                taskScheduler.getClock().instant().plus(initialDelay), delay);
        return () -> future.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        taskScheduler.execute(task);
    }

    /** Does nothing: the Spring context shuts the task scheduler down. */
    @Override
    public void close() {
    }
}
