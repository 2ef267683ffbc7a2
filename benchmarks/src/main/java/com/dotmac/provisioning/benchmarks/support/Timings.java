package com.dotmac.provisioning.benchmarks.support;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Calls and time spent per named operation. Thread-safe. */
public final class Timings {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> items = new ConcurrentHashMap<>();

    /**
     * Runs an operation and records its time.
     *
     * @param name the operation
     * @param call what it does
     * @param <T> its result
     * @return its result
     */
    public <T> T time(String name, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            calls.computeIfAbsent(name, k -> new LongAdder()).increment();
            nanos.computeIfAbsent(name, k -> new LongAdder()).add(System.nanoTime() - start);
        }
    }

    /**
     * @param name an operation
     * @param count items it handled (e.g. jobs claimed)
     */
    public void items(String name, long count) {
        items.computeIfAbsent(name, k -> new LongAdder()).add(count);
    }

    /** @return calls per operation */
    public Map<String, Long> calls() {
        return snapshot(calls);
    }

    /** @return milliseconds per operation */
    public Map<String, Double> millis() {
        Map<String, Double> m = new TreeMap<>();
        nanos.forEach((k, v) -> m.put(k, v.sum() / 1e6));
        return m;
    }

    /** @return items per operation */
    public Map<String, Long> items() {
        return snapshot(items);
    }

    /** Sets everything to zero. */
    public void reset() {
        calls.clear();
        nanos.clear();
        items.clear();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> s = new TreeMap<>();
        m.forEach((k, v) -> s.put(k, v.sum()));
        return s;
    }
}
