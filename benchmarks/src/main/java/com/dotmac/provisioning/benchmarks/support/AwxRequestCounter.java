package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.awx.AwxRequestListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the requests an {@code AwxAutomationRunner} sends, by method and endpoint. Thread-safe. */
public final class AwxRequestCounter implements AwxRequestListener {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void onRequest(Request request) {
        counts.computeIfAbsent(request.method() + " " + request.endpoint(), k -> new LongAdder()).increment();
    }

    /** @return requests so far by {@code METHOD endpoint} */
    public Map<String, Long> byEndpoint() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    /** @return all requests so far */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Sets the counts to zero. */
    public void reset() {
        counts.clear();
    }
}
