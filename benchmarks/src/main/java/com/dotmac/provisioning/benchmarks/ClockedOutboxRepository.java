package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.OutboxRecord;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A repository with an outbox whose {@link #currentTime()} is a given clock's time (as
 * {@code testkit.ClockedJobRepository}, which has no outbox): the stepped engine of {@link OutboxThroughput} stays on
 * its movable clock with event consumers registered. Every other call goes to the repository it wraps. Thread-safe
 * when that repository and the clock are.
 */
final class ClockedOutboxRepository extends ForwardingJobRepository implements EventOutbox {
    private final EventOutbox outbox;
    private final Clock clock;

    /**
     * @param target the repository that does the work, with its outbox (e.g. {@code JdbcJobRepository.withOutbox()})
     * @param clock the repository's time
     */
    <R extends JobRepository & EventOutbox> ClockedOutboxRepository(R target, Clock clock) {
        super(target);
        this.outbox = target;
        this.clock = clock;
    }

    @Override
    public Optional<Instant> currentTime() {
        return Optional.of(clock.instant());
    }

    @Override
    public List<OutboxRecord> claimEvents(String owner, Instant now, Instant leaseUntil, int limit) {
        return outbox.claimEvents(owner, now, leaseUntil, limit);
    }

    @Override
    public boolean eventDelivered(OutboxRecord claimed) {
        return outbox.eventDelivered(claimed);
    }

    @Override
    public boolean eventDeliveryFailed(OutboxRecord claimed, Set<String> deliveredTo, Instant retryAt) {
        return outbox.eventDeliveryFailed(claimed, deliveredTo, retryAt);
    }

    @Override
    public long countUndeliveredEvents() {
        return outbox.countUndeliveredEvents();
    }

    @Override
    public boolean recordsEvents() {
        return outbox.recordsEvents();
    }
}
