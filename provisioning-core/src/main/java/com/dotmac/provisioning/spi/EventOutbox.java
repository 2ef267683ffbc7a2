package com.dotmac.provisioning.spi;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The durable outbox of a {@link JobRepository}: every write of a job that changes its status (its creation
 * included) stores one {@link com.dotmac.provisioning.events.ProvisioningEvent} per change
 * ({@link com.dotmac.provisioning.events.ProvisioningEvent#ofJobWrite}) in the same transaction, so a change that
 * is written has its record (none is lost when a node dies after the commit) and a change that is not (a failed
 * version check, a rollback) has none. A {@link RolloutRepository} over the same store does the same for a rollout's
 * status changes ({@link com.dotmac.provisioning.events.ProvisioningEvent#ofRolloutWrite}). The delivery worker of every node claims records, hands them to the
 * registered consumers, and deletes them once every consumer has them.
 *
 * <p><b>Order per tenant.</b> Records are queued by their
 * {@link com.dotmac.provisioning.events.ProvisioningEvent#orderKey()} (a job event's tenant, a rollout event's
 * rollout). Only a queue's oldest record is ever claimable (its head); the next one becomes claimable when it is
 * deleted. Records of one job are stored in the order of the job's version-checked
 * writes. Records of two jobs of one tenant are stored in the order their writes got their sequence numbers, which is
 * the commit order except for two writes of the same tenant committing at the same moment (a finished job's late
 * write and the next job's creation).
 *
 * <p><b>Claims.</b> A claim leases records to one owner until a time, like job claims: two concurrent claims never
 * return the same record, and a record whose lease ran out (its claimer died) is claimable again. The lease holder's
 * writes are version-checked, so a claimer whose record was taken over writes nothing.
 *
 * <p>Implementations: {@code InMemoryJobRepository}, {@code JdbcJobRepository}; both pass
 * {@code EventOutboxContract} from {@code provisioning-testkit}. Thread-safe and safe across nodes.
 */
public interface EventOutbox {

    /**
     * Claims the heads of the queues: for each order key (tenant, rollout), its oldest record, if it is not leased (or its lease
     * ran out at {@code now}) and its next attempt is due at {@code now}; lowest sequence first.
     *
     * @param owner the claiming node
     * @param now the current time (on the repository's time)
     * @param leaseUntil when the claim's leases run out
     * @param limit the most records to claim (at most one per queue)
     * @return the claimed records, by ascending sequence, with their new versions
     */
    List<OutboxRecord> claimEvents(String owner, Instant now, Instant leaseUntil, int limit);

    /**
     * Deletes a delivered record, if it is still at the version its claim gave it.
     *
     * @param claimed the record as claimed
     * @return whether it was deleted (false: another claimer took it over, or it is gone)
     */
    boolean eventDelivered(OutboxRecord claimed);

    /**
     * Records a failed delivery: the attempt is counted, the consumers that have the event are kept, the lease is
     * released, and the record is due again at {@code retryAt}; only if it is still at the version its claim gave it.
     *
     * @param claimed the record as claimed
     * @param deliveredTo the names of the consumers that have the event now
     * @param retryAt when to deliver it again
     * @return whether it was written
     */
    boolean eventDeliveryFailed(OutboxRecord claimed, Set<String> deliveredTo, Instant retryAt);

    /** @return how many records are in the outbox (not yet delivered to every consumer) */
    long countUndeliveredEvents();

    /**
     * The outbox is opt-in: a repository records events only when made to (e.g. {@code JdbcJobRepository.withOutbox()},
     * {@code InMemoryJobRepository.recordingEvents()}), so that a host without event consumers pays nothing and keeps
     * no table that only grows. The engine refuses event consumers over a repository that records none.
     *
     * @return whether status changes are recorded in this outbox
     */
    boolean recordsEvents();
}
