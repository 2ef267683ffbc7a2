package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.benchmarks.support.JvmState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the fake AWX's runs take a fixed time in real time: a {@link RunEnder} driven every {@link #TICK} by one
 * thread of its own (each launch is noted at the tick that first sees it, so a run lasts its run time plus up to one
 * tick). The same tick samples the runs active at the fake and the heap in use, for the mean and the peak.
 *
 * <p>Thread-safe: the ender is driven by the tick thread only; the samples are read under this object's lock.
 */
final class RealTimeRunEnder implements AutoCloseable {
    /** How often launches are noted, due runs ended and the samples taken. */
    static final Duration TICK = Duration.ofMillis(50);

    private final FakeAwx fake;
    private final RunEnder ender;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-run-ender");
        t.setDaemon(true);
        return t;
    });
    private final int target;
    private long samples;
    private long activeSum;
    private long peakHeap;
    private long reachedTargetNanos = -1;
    private final long startNanos = System.nanoTime();
    private final ScheduledFuture<?> task;

    /**
     * Starts ticking.
     *
     * @param fake the fake AWX (its jobs on {@code RunScript.hang()})
     * @param runTime how long each run takes
     * @param target runs active at once worth noting the first time (the rollout's {@code maxParallel})
     */
    RealTimeRunEnder(FakeAwx fake, Duration runTime, int target) {
        this.fake = fake;
        this.ender = new RunEnder(fake, runTime);
        this.target = target;
        this.task = thread.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        Instant now = Instant.now();
        ender.noteLaunches(now);
        ender.endDue(now);
        int active = fake.activeRuns();
        long heap = JvmState.heapUsedNow();
        synchronized (this) {
            samples++;
            activeSum += active;
            peakHeap = Math.max(peakHeap, heap);
            if (reachedTargetNanos < 0 && active >= target) {
                reachedTargetNanos = System.nanoTime() - startNanos;
            }
        }
    }

    /** @return the mean of the runs active at the fake over the ticks so far */
    synchronized double meanActive() {
        return samples == 0 ? 0 : activeSum / (double) samples;
    }

    /** @return the most heap in use seen at a tick (garbage included) */
    synchronized long peakHeap() {
        return peakHeap;
    }

    /** @return seconds from the start until the fake first had {@code target} runs active, or -1 if never */
    synchronized double secondsToTarget() {
        return reachedTargetNanos < 0 ? -1 : reachedTargetNanos / 1e9;
    }

    /** @return runs this ender ended (read after {@link #close()}) */
    int ended() {
        return ender.ended();
    }

    /** Stops ticking and waits for the tick thread to end. */
    @Override
    public void close() {
        task.cancel(false);
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
