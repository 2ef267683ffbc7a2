package com.dotmac.provisioning.benchmarks.events;

import com.dotmac.provisioning.benchmarks.support.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What a receiver got: each event id's first receipt and its lag (receipt time − the event's {@code at}, the time the
 * engine stamped on the change just before its commit), and how many receipts repeated an id already received
 * (at-least-once delivery), and the first request the receiving end refused (a bad signature, an unreadable body),
 * which fails the run. Thread-safe: a concurrent map and atomics.
 */
public final class Receipts {
    private final Map<String, Duration> lagById = new ConcurrentHashMap<>();
    private final AtomicLong receipts = new AtomicLong();
    private final AtomicReference<@Nullable String> rejection = new AtomicReference<>();

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

    /**
     * Records a request the receiving end refused; the first one is kept.
     *
     * @param reason why, e.g. {@code signature does not match the body and timestamp} (never a secret)
     */
    public void rejected(String reason) {
        rejection.compareAndSet(null, reason);
    }

    /** @return why the first refused request was refused, or null when none was */
    public @Nullable String rejection() {
        return rejection.get();
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
        rejection.set(null);
    }
}
