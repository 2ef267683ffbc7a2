package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.benchmarks.support.JvmState;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Samples the live threads every 20 ms on a daemon thread of its own ({@code bench-thread-sampler}, not counted) and
 * keeps the most threads seen of each group (the name without its numbers, {@link JvmState#threadsByGroup()}),
 * counting only threads that were not yet alive when the sampler was made (so that an earlier engine's idle threads,
 * which end a minute later, are not counted as this one's).
 *
 * <p>Thread-safe: the most-seen map is guarded by this object.
 */
final class ThreadSampler implements AutoCloseable {
    private static final String NAME = "bench-thread-sampler";
    private static final long EVERY_MILLIS = 20;

    private final Map<String, Integer> most = new TreeMap<>();
    private final Thread thread = new Thread(this::sampleUntilClosed, NAME);
    private final Set<Thread> before = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean closed;

    ThreadSampler() {
        thread.setDaemon(true);
        before.addAll(Thread.getAllStackTraces().keySet());
    }

    /** @return how many threads were alive when the sampler was made */
    int threadsBefore() {
        return before.size();
    }

    /** Starts sampling. */
    void start() {
        thread.start();
    }

    /** @return the most threads of each group since the start or the last call; starts a new count */
    synchronized Map<String, Integer> takeMost() {
        sampleOnce();
        Map<String, Integer> taken = new TreeMap<>(most);
        most.clear();
        return taken;
    }

    /** Stops sampling. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void sampleUntilClosed() {
        while (!closed) {
            sampleOnce();
            if (!sleep(EVERY_MILLIS)) {
                return;
            }
        }
    }

    private synchronized void sampleOnce() {
        JvmState.threadsByGroup(t -> !before.contains(t)).forEach((g, n) -> {
            if (!g.equals(NAME)) {
                most.merge(g, n, Math::max);
            }
        });
    }

    /** @return false when interrupted (the interrupt is kept) */
    static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
