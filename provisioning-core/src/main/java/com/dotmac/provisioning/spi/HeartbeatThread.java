package com.dotmac.provisioning.spi;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default of {@link Scheduler#scheduleHeartbeat} and {@link Scheduler#scheduleOnOwnThread}: one daemon thread per
 * task. Thread-safe.
 */
final class HeartbeatThread {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatThread.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private HeartbeatThread() {
    }

    static Scheduler.Cancellable start(Runnable task, Duration interval) {
        return start("provisioning-heartbeat", task, interval);
    }

    static Scheduler.Cancellable start(String prefix, Runnable task, Duration interval) {
        String name = prefix + "-" + THREADS.incrementAndGet();
        ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{} failed; it runs again in {}", name, interval, e);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        return executor::shutdownNow;
    }
}
