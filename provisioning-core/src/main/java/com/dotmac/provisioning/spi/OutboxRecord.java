package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.events.ProvisioningEvent;
import java.util.Objects;
import java.util.Set;

/**
 * An outbox record as claimed by a delivery worker ({@link EventOutbox#claimEvents}). Immutable and thread-safe.
 *
 * @param sequence the record's place in the outbox (ascending in the order records were stored)
 * @param event the event
 * @param attempts how many deliveries failed so far
 * @param deliveredTo the names of the consumers that have the event already
 * @param version the record's version after the claim; {@link EventOutbox#eventDelivered} and
 *     {@link EventOutbox#eventDeliveryFailed} only write a record still at this version (still this claim's)
 */
public record OutboxRecord(long sequence, ProvisioningEvent event, int attempts, Set<String> deliveredTo,
        long version) {

    /** Checks the required fields and copies the names. */
    public OutboxRecord {
        Objects.requireNonNull(event, "event");
        deliveredTo = Set.copyOf(deliveredTo);
    }
}
