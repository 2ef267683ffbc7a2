package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.spi.OutboxRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The outbox records of an {@link InMemoryJobRepository}, by sequence. Not thread-safe: the repository calls it under
 * its one lock, the same lock its job writes hold.
 */
final class InMemoryOutbox {
    /** One stored record and its delivery state. */
    private static final class Entry {
        final long sequence;
        final ProvisioningEvent event;
        int attempts;
        Set<String> deliveredTo = Set.of();
        @Nullable Instant nextAttemptAt;
        @Nullable String leaseOwner;
        @Nullable Instant leaseUntil;
        long version;

        Entry(long sequence, ProvisioningEvent event) {
            this.sequence = sequence;
            this.event = event;
        }

        OutboxRecord record() {
            return new OutboxRecord(sequence, event, attempts, deliveredTo, version);
        }
    }

    /** In sequence order (insertion order). */
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long lastSequence;

    /** @param events records to store, in order */
    void add(List<ProvisioningEvent> events) {
        for (ProvisioningEvent e : events) {
            long sequence = ++lastSequence;
            entries.put(sequence, new Entry(sequence, e));
        }
    }

    List<OutboxRecord> claim(String owner, Instant now, Instant leaseUntil, int limit) {
        Set<String> seenKeys = new HashSet<>();
        List<OutboxRecord> claimed = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (claimed.size() >= limit) {
                break;
            }
            if (!seenKeys.add(e.event.orderKey())) {
                continue; // not the head of its queue (its tenant's, its rollout's)
            }
            boolean leased = e.leaseUntil != null && e.leaseUntil.isAfter(now);
            boolean due = e.nextAttemptAt == null || !e.nextAttemptAt.isAfter(now);
            if (!leased && due) {
                e.leaseOwner = owner;
                e.leaseUntil = leaseUntil;
                e.version++;
                claimed.add(e.record());
            }
        }
        return claimed;
    }

    boolean delivered(OutboxRecord claimed) {
        Entry e = entries.get(claimed.sequence());
        if (e == null || e.version != claimed.version()) {
            return false;
        }
        entries.remove(claimed.sequence());
        return true;
    }

    boolean failed(OutboxRecord claimed, Set<String> deliveredTo, Instant retryAt) {
        Entry e = entries.get(claimed.sequence());
        if (e == null || e.version != claimed.version()) {
            return false;
        }
        e.attempts++;
        e.deliveredTo = Set.copyOf(deliveredTo);
        e.nextAttemptAt = retryAt;
        e.leaseOwner = null;
        e.leaseUntil = null;
        e.version++;
        return true;
    }

    int size() {
        return entries.size();
    }
}
