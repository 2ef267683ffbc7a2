package com.dotmac.provisioning.spi;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default of {@link Scheduler#scheduleTimeout}: one daemon thread named {@code provisioning-timer}, shared by every
 * scheduler that does not override it, started with the first task and ended after a minute without any. Thread-safe.
 */
final class SharedTimer {
    private static final Logger log = LoggerFactory.getLogger(SharedTimer.class);
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private SharedTimer() {
    }

    static Scheduler.Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = TIMER.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("a provisioning timer task failed", e);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "provisioning-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }
}
