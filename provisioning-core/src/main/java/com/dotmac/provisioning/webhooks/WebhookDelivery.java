package com.dotmac.provisioning.webhooks;

import com.dotmac.provisioning.events.ProvisioningEvent;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event on its way to one webhook subscription, as a {@link com.dotmac.provisioning.spi.WebhookDeliveryStore}
 * keeps it: pending (waiting for its next attempt) or dead (a dead letter, after the last attempt failed). Immutable
 * and thread-safe.
 *
 * @param id the delivery's id (a UUID), what an operator names to redeliver a dead letter
 * @param sequence its place in the store (ascending in the order deliveries were enqueued)
 * @param subscription the subscription's name
 * @param event the event
 * @param attempts how many attempts failed so far
 * @param nextAttemptAt when it is due (for a dead letter: when it died)
 * @param lastError what went wrong at the last failed attempt, short and free of secrets; null before any failure
 * @param dead whether it is a dead letter
 * @param version its version after the last write (a claim's writes only apply at the claim's version)
 */
public record WebhookDelivery(
        String id,
        long sequence,
        String subscription,
        ProvisioningEvent event,
        int attempts,
        Instant nextAttemptAt,
        @Nullable String lastError,
        boolean dead,
        long version) {

    /** Checks the required fields. */
    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }
}
