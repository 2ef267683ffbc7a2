package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A runner that keeps nothing per run and uses no CPU: a launch returns a new run id, a poll finds every run
 * {@code running}, searches find nothing; every call waits {@code latency} (a sleep, like a remote AWX's answer, so
 * that calls overlap as they would against a real one). It counts calls, runs polled and the most calls in progress
 * at once, nothing else, so the heap after a collection is the engine's and its database pool's alone.
 *
 * <p>Thread-safe: counters only.
 */
final class StubRunner implements AutomationRunner {
    private final Duration latency;
    private final boolean endsWhenInterrupted;
    private final AtomicLong runIds = new AtomicLong();
    private final AtomicLong polled = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /**
     * @param latency how long each call takes (slept, not computed)
     * @param endsWhenInterrupted what {@link #callsEndWhenInterrupted()} says: true lets the engine make the calls
     *     on its own threads; false (what a runner whose calls may block uninterruptibly says, AWX's) makes it use
     *     its runner-call pool
     */
    StubRunner(Duration latency, boolean endsWhenInterrupted) {
        this.latency = latency;
        this.endsWhenInterrupted = endsWhenInterrupted;
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        return call(() -> new LaunchedRun("stub-" + runIds.incrementAndGet(), null));
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return call(List::of);
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> ids) {
        return call(() -> {
            Map<String, RunStatus> states = new HashMap<>();
            ids.forEach(id -> states.put(id, RunStatus.running()));
            polled.addAndGet(ids.size());
            return states;
        });
    }

    @Override
    public void cancel(String runId) {
        call(() -> null);
    }

    /** @return as built (a call only sleeps, interruptibly, so true is the truth; false measures the pool) */
    @Override
    public boolean callsEndWhenInterrupted() {
        return endsWhenInterrupted;
    }

    /** @return runs polled so far (a run polled twice counts twice) */
    long polled() {
        return polled.get();
    }

    /** @return runner calls so far */
    long calls() {
        return calls.get();
    }

    /** @return the most calls that were in progress at once */
    int mostAtOnce() {
        return mostAtOnce.get();
    }

    private <T> T call(Supplier<T> answer) {
        calls.incrementAndGet();
        mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            inside.decrementAndGet();
        }
    }
}
