package com.dotmac.provisioning.benchmarks.events;

import com.dotmac.provisioning.benchmarks.support.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a receiver got: each event id's first receipt and its lag (receipt time − the event's {@code at}, the time the
 * engine stamped on the change just before its commit), and how many receipts repeated an id already received
 * (at-least-once delivery). Thread-safe: a concurrent map and an atomic counter.
 */
public final class Receipts {
    private final Map<String, Duration> lagById = new ConcurrentHashMap<>();
    private final AtomicLong receipts = new AtomicLong();

    /**
     * Records one receipt.
     *
     * @param eventId the event's id (a webhook's CloudEvents {@code id})
     * @param at when the change happened (the event's {@code at}; a CloudEvents {@code time})
     * @param receivedAt when it arrived
     */
    public void received(String eventId, Instant at, Instant receivedAt) {
        receipts.incrementAndGet();
        lagById.putIfAbsent(eventId, Duration.between(at, receivedAt));
    }

    /** @return distinct event ids received */
    public int distinct() {
        return lagById.size();
    }

    /** @return receipts in all, repeats included */
    public long receipts() {
        return receipts.get();
    }

    /** @return receipts of an id already received */
    public long duplicates() {
        return receipts.get() - lagById.size();
    }

    /** @return the lags of the first receipts, in milliseconds */
    public Stats lagMillis() {
        List<Double> millis = lagById.values().stream().map(d -> d.toNanos() / 1e6).toList();
        return Stats.of(millis);
    }

    /** Forgets every receipt. */
    public void clear() {
        lagById.clear();
        receipts.set(0);
    }
}
