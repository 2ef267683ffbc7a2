package com.dotmac.provisioning.scheduler;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The growth of a pool while one of its threads is held by a runner call given up that has not returned yet
 * ({@link com.dotmac.provisioning.spi.Scheduler#threadHeld}): the pool has one more core thread until the handle
 * runs, so that its other work does not stall. Used by {@link ExecutorScheduler} and the Spring starter's adapter.
 * Thread-safe.
 */
public final class HeldThreads {
    private final ScheduledThreadPoolExecutor pool;

    /** @param pool the pool that grows by one thread per held thread */
    public HeldThreads(ScheduledThreadPoolExecutor pool) {
        this.pool = pool;
    }

    /**
     * Adds one core thread to the pool.
     *
     * @return a handle that removes it again; running it more than once removes it once
     */
    public Runnable oneMoreThread() {
        resize(1);
        AtomicBoolean freed = new AtomicBoolean();
        return () -> {
            if (freed.compareAndSet(false, true)) {
                resize(-1);
            }
        };
    }

    private synchronized void resize(int by) {
        pool.setCorePoolSize(pool.getCorePoolSize() + by);
    }
}
