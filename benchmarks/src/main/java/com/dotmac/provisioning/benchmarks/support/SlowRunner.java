package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An {@link AutomationRunner} that answers every call (launch, find, poll, cancel) of another one after a fixed delay,
 * sleeping meanwhile (no CPU): an AWX that is far away or slow, not busy. It counts the calls by kind and how many
 * were in flight at once (the most, and the busy time summed over calls, from which the mean concurrency over a run
 * follows). Thread-safe when the wrapped runner is.
 */
public final class SlowRunner implements AutomationRunner {
    private final AutomationRunner target;
    private final long delayNanos;
    private final AtomicLong launches = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong others = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicLong lastLaunchEnd = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param target the runner that decides the answers
     * @param delay how long every call takes, not negative
     */
    public SlowRunner(AutomationRunner target, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.target = target;
        this.delayNanos = delay.toNanos();
    }

    /**
     * What the runner was asked, at one moment.
     *
     * @param launches launch calls
     * @param polls poll calls (one call polls a batch of runs)
     * @param others find and cancel calls
     * @param busySeconds the calls' durations summed (calls in flight at once each count)
     * @param mostInFlight the most calls in flight at once
     */
    public record Calls(long launches, long polls, long others, double busySeconds, int mostInFlight) {
    }

    /** @return the calls so far */
    public Calls calls() {
        return new Calls(launches.get(), polls.get(), others.get(), busyNanos.get() / 1e9, mostInFlight.get());
    }

    private <T> T slow(AtomicLong kind, Supplier<T> call) {
        kind.incrementAndGet();
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        long start = System.nanoTime();
        try {
            long until = start + delayNanos;
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
            return call.get();
        } finally {
            busyNanos.addAndGet(System.nanoTime() - start);
            inFlight.decrementAndGet();
        }
    }

    /** @return the {@link System#nanoTime()} at which the latest launch call returned, or {@code Long.MIN_VALUE} */
    public long lastLaunchEndNanos() {
        return lastLaunchEnd.get();
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        try {
            return slow(launches, () -> target.launch(spec));
        } finally {
            lastLaunchEnd.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return slow(others, () -> target.findRuns(spec));
    }

    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        return slow(others, () -> target.findRunsOfJobs(specs));
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        return slow(polls, () -> target.poll(runIds));
    }

    @Override
    public void cancel(String runId) {
        slow(others, () -> {
            target.cancel(runId);
            return null;
        });
    }

    @Override
    public int maxConcurrentRuns() {
        return target.maxConcurrentRuns();
    }

    /** @return the target's answer: the added delay is short and bounded, so a call still ends soon */
    @Override
    public boolean callsEndWhenInterrupted() {
        return target.callsEndWhenInterrupted();
    }

    @Override
    public RunnerHealth health() {
        return target.health();
    }
}
