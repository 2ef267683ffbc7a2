package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue of webhook deliveries: one {@link WebhookDelivery} per (subscription, event). The webhook
 * sender's event consumer enqueues an event for every subscription it matches (fast, never a network call), and a
 * dispatcher on every node claims due deliveries, posts them, and records the outcome. Each subscription has its own
 * queues, so a slow or dead receiver holds back only its own deliveries, never job processing or other receivers.
 *
 * <p><b>Queues and order.</b> Deliveries are queued by (subscription, the event's
 * {@link ProvisioningEvent#orderKey()}), in the order they were enqueued. Only a queue's head is claimable: its oldest
 * delivery that is not dead. A dead letter ({@link #deadLetter}) leaves its queue, so the receiver's later events go
 * on; {@link #redeliver} puts it back at its old place (it becomes the head again, before the queue's later
 * deliveries that are not yet delivered; a later one already in flight at that moment may still arrive first).
 * Queue order also relies on one event of an order key being enqueued at a time, as the outbox hands them over.
 *
 * <p><b>Claims.</b> Like job claims: a claim leases a delivery to one owner until a time, two concurrent claims never
 * return the same delivery, a delivery whose lease ran out is claimable again, and every write after a claim is
 * version-checked (a claimer whose delivery was taken over writes nothing).
 *
 * <p>Implementations: {@code InMemoryWebhookDeliveryStore}, {@code JdbcWebhookDeliveryStore}; both pass
 * {@code WebhookDeliveryStoreContract} from {@code provisioning-testkit}. Thread-safe and safe across nodes.
 */
public interface WebhookDeliveryStore {

    /**
     * Enqueues one pending delivery of the event per subscription, due at {@code now}. A (subscription, event id)
     * that is already queued (pending or dead) is not queued again, so an event the outbox hands over twice is
     * enqueued once while it waits.
     *
     * @param event the event
     * @param subscriptions the names of the subscriptions it goes to; nothing is stored when empty
     * @param now the current time
     */
    void enqueue(ProvisioningEvent event, Collection<String> subscriptions, Instant now);

    /**
     * Claims the heads of the queues: for each (subscription, order key), its oldest delivery that is not dead, if it
     * is not leased (or its lease ran out at {@code now}) and it is due at {@code now}; oldest first.
     *
     * @param owner the claiming node
     * @param now the current time
     * @param leaseUntil when the claim's leases run out
     * @param limit the most deliveries to claim (at most one per queue)
     * @return the claimed deliveries, oldest first, with their new versions
     */
    List<WebhookDelivery> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

    /**
     * Deletes a delivery the receiver accepted, if it is still at the version its claim gave it.
     *
     * @param claimed the delivery as claimed
     * @return whether it was deleted (false: another claimer took it over, or it is gone)
     */
    boolean delivered(WebhookDelivery claimed);

    /**
     * Records a failed attempt: the attempt is counted, the error kept, the lease released, and the delivery is due
     * again at {@code retryAt}; only if it is still at the version its claim gave it.
     *
     * @param claimed the delivery as claimed
     * @param retryAt when to post it again
     * @param lastError what went wrong, short and free of secrets (e.g. {@code HTTP 503}, {@code timeout}); a store
     *     may keep only its first 1,000 characters
     * @return whether it was written
     */
    boolean retryLater(WebhookDelivery claimed, Instant retryAt, String lastError);

    /**
     * Makes the delivery a dead letter after its last failed attempt (the attempt is counted, the error kept, the
     * lease released): it leaves its queue until an operator redelivers it; only if it is still at the version its
     * claim gave it.
     *
     * @param claimed the delivery as claimed
     * @param lastError what went wrong, short and free of secrets
     * @param at when it died
     * @return whether it was written
     */
    boolean deadLetter(WebhookDelivery claimed, String lastError, Instant at);

    /**
     * Lists dead letters, oldest first.
     *
     * @param subscription only this subscription's; all when null
     * @param offset how many to skip
     * @param limit the most to return
     * @return the dead letters
     * @throws IllegalArgumentException when {@code offset} or {@code limit} is negative
     */
    List<WebhookDelivery> deadLetters(@Nullable String subscription, int offset, int limit);

    /**
     * @param subscription only this subscription's; all when null
     * @return how many dead letters there are
     */
    long countDeadLetters(@Nullable String subscription);

    /**
     * Puts a dead letter back in its queue at its old place: pending, its attempts reset to 0, due at {@code now}.
     *
     * @param deliveryId the dead letter's {@link WebhookDelivery#id()}
     * @param now the current time
     * @return the delivery as it is now; empty when no dead letter has that id (unknown, or not dead)
     */
    Optional<WebhookDelivery> redeliver(String deliveryId, Instant now);

    /** @return how many deliveries wait (pending, dead letters not counted) */
    long countPending();
}
