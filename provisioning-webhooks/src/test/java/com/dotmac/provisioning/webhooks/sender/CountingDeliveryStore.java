package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.memory.InMemoryWebhookDeliveryStore;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A real in-memory store that counts the dispatcher's claims and what they returned. Thread-safe. */
final class CountingDeliveryStore implements WebhookDeliveryStore {
    private final InMemoryWebhookDeliveryStore store = new InMemoryWebhookDeliveryStore();
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger claimed = new AtomicInteger();

    @Override
    public void enqueue(ProvisioningEvent event, Collection<String> subscriptions, Instant now) {
        store.enqueue(event, subscriptions, now);
    }

    @Override
    public List<WebhookDelivery> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        claims.incrementAndGet();
        List<WebhookDelivery> due = store.claimDue(owner, now, leaseUntil, limit);
        claimed.addAndGet(due.size());
        return due;
    }

    @Override
    public boolean delivered(WebhookDelivery claimed) {
        return store.delivered(claimed);
    }

    @Override
    public boolean retryLater(WebhookDelivery claimed, Instant retryAt, String lastError) {
        return store.retryLater(claimed, retryAt, lastError);
    }

    @Override
    public boolean deadLetter(WebhookDelivery claimed, String lastError, Instant at) {
        return store.deadLetter(claimed, lastError, at);
    }

    @Override
    public List<WebhookDelivery> deadLetters(@Nullable String subscription, int offset, int limit) {
        return store.deadLetters(subscription, offset, limit);
    }

    @Override
    public long countDeadLetters(@Nullable String subscription) {
        return store.countDeadLetters(subscription);
    }

    @Override
    public Optional<WebhookDelivery> redeliver(String deliveryId, Instant now) {
        return store.redeliver(deliveryId, now);
    }

    @Override
    public long countPending() {
        return store.countPending();
    }
}
