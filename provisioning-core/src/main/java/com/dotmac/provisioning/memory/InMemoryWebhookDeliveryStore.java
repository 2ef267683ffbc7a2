package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WebhookDeliveryStore} in memory, for tests and single-node hosts that accept losing undelivered webhooks
 * on a restart. Thread-safe: every method holds the store's one lock.
 */
public final class InMemoryWebhookDeliveryStore implements WebhookDeliveryStore {
    /** One stored delivery and its state. */
    private static final class Entry {
        final String id;
        final long sequence;
        final String subscription;
        final ProvisioningEvent event;
        int attempts;
        Instant nextAttemptAt;
        @Nullable String lastError;
        boolean dead;
        @Nullable Instant leaseUntil;
        long version;

        Entry(String id, long sequence, String subscription, ProvisioningEvent event, Instant due) {
            this.id = id;
            this.sequence = sequence;
            this.subscription = subscription;
            this.event = event;
            this.nextAttemptAt = due;
        }

        String queue() {
            return subscription + '\u0000' + event.orderKey();
        }

        WebhookDelivery delivery() {
            return new WebhookDelivery(id, sequence, subscription, event, attempts, nextAttemptAt, lastError, dead,
                    version);
        }
    }

    /** In sequence order (insertion order). */
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long lastSequence;

    /** Creates an empty store. */
    public InMemoryWebhookDeliveryStore() {}

    @Override
    public synchronized void enqueue(ProvisioningEvent event, Collection<String> subscriptions, Instant now) {
        Objects.requireNonNull(event, "event");
        for (String subscription : subscriptions) {
            boolean queued = entries.values().stream()
                    .anyMatch(e -> e.subscription.equals(subscription) && e.event.id().equals(event.id()));
            if (!queued) {
                long sequence = ++lastSequence;
                entries.put(sequence,
                        new Entry(UUID.randomUUID().toString(), sequence, subscription, event, now));
            }
        }
    }

    @Override
    public synchronized List<WebhookDelivery> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        Set<String> seenQueues = new HashSet<>();
        List<WebhookDelivery> claimed = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (claimed.size() >= limit) {
                break;
            }
            if (e.dead || !seenQueues.add(e.queue())) {
                continue; // a dead letter left its queue; a later delivery is not its queue's head
            }
            boolean leased = e.leaseUntil != null && e.leaseUntil.isAfter(now);
            if (!leased && !e.nextAttemptAt.isAfter(now)) {
                e.leaseUntil = leaseUntil;
                e.version++;
                claimed.add(e.delivery());
            }
        }
        return claimed;
    }

    @Override
    public synchronized boolean delivered(WebhookDelivery claimed) {
        Entry e = current(claimed);
        if (e == null) {
            return false;
        }
        entries.remove(e.sequence);
        return true;
    }

    @Override
    public synchronized boolean retryLater(WebhookDelivery claimed, Instant retryAt, String lastError) {
        Entry e = current(claimed);
        if (e == null) {
            return false;
        }
        fail(e, lastError, retryAt);
        return true;
    }

    @Override
    public synchronized boolean deadLetter(WebhookDelivery claimed, String lastError, Instant at) {
        Entry e = current(claimed);
        if (e == null) {
            return false;
        }
        fail(e, lastError, at);
        e.dead = true;
        return true;
    }

    @Override
    public synchronized List<WebhookDelivery> deadLetters(@Nullable String subscription, int offset, int limit) {
        return entries.values().stream()
                .filter(e -> e.dead && (subscription == null || e.subscription.equals(subscription)))
                .skip(offset)
                .limit(limit)
                .map(Entry::delivery)
                .toList();
    }

    @Override
    public synchronized long countDeadLetters(@Nullable String subscription) {
        return entries.values().stream()
                .filter(e -> e.dead && (subscription == null || e.subscription.equals(subscription)))
                .count();
    }

    @Override
    public synchronized Optional<WebhookDelivery> redeliver(String deliveryId, Instant now) {
        for (Entry e : entries.values()) {
            if (e.id.equals(deliveryId) && e.dead) {
                e.dead = false;
                e.attempts = 0;
                e.nextAttemptAt = now;
                e.leaseUntil = null;
                e.version++;
                return Optional.of(e.delivery());
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized long countPending() {
        return entries.values().stream().filter(e -> !e.dead).count();
    }

    private @Nullable Entry current(WebhookDelivery claimed) {
        Entry e = entries.get(claimed.sequence());
        return e == null || e.version != claimed.version() || e.dead ? null : e;
    }

    private static void fail(Entry e, String lastError, Instant at) {
        e.attempts++;
        e.lastError = lastError;
        e.nextAttemptAt = at;
        e.leaseUntil = null;
        e.version++;
    }
}
