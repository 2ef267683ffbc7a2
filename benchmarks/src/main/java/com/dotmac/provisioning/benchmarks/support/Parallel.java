package com.dotmac.provisioning.benchmarks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs a loop on a few threads at once. Stateless. */
public final class Parallel {
    private Parallel() {
    }

    /**
     * Runs {@code step} for 0 ... {@code count - 1} on {@code threads} threads (thread t takes t, t + threads, ...)
     * and waits for all of them.
     *
     * @param threads how many threads
     * @param count how many steps
     * @param step one step, given its number; thread-safe
     * @throws IllegalStateException when a step fails (with its exception as cause) or the wait is interrupted
     */
    public static void forEach(int threads, int count, IntConsumer step) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < count; i += threads) {
                        step.accept(i);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a step failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
