package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.OutboxRecord;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Where an {@link OutboxCrashNode} freezes so that the parent kills it between a change and its delivery, and a
 * switch that holds the node's deliveries back. It wraps the node's repository (jobs and outbox): armed with a
 * {@link Point} and a count {@code n}, the {@code n}th thread that reaches the point prints
 * {@code FROZEN <point> <what>} and parks for ever, and the parent sends SIGKILL; the node's other threads go on.
 * Held, the outbox claims nothing (the delivery worker finds no work), so the node's events wait in the outbox.
 * Thread-safe: the armed point is an atomic reference the freezing thread clears, the count and the batch position
 * atomic integers, the hold volatile.
 */
final class OutboxKillPoint {
    /** The points between a change and its delivery where a node can be frozen. */
    enum Point {
        /** A job write that ended a job (status change to a final status) committed; deliveries are held. */
        COMMITTED,
        /** The consumer took an event; the outbox record is not yet deleted ({@code eventDelivered}). */
        DELIVERED,
        /**
         * In the middle of a batch of claimed records of several tenants (at least {@link #MIN_BATCH}): the middle
         * record was taken by the consumer and is not deleted; the records before it are delivered and deleted, the
         * ones after it claimed (leased) and not delivered.
         */
        MID_BATCH;

        /** @return the point's name on the wire between parent and node */
        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @param wireName a point's wire name @return the point */
        static Point of(String wireName) {
            return valueOf(wireName.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** The fewest records (tenants) a claimed batch has for {@link Point#MID_BATCH}. */
    static final int MIN_BATCH = 3;

    private final AtomicReference<@Nullable Point> armed = new AtomicReference<>();
    private final AtomicInteger countdown = new AtomicInteger();
    private final AtomicReference<@Nullable List<OutboxRecord>> batch = new AtomicReference<>();
    private final AtomicInteger batchPosition = new AtomicInteger();
    private final PrintStream out;
    private volatile boolean held;

    /** @param out where {@code FROZEN} is printed */
    OutboxKillPoint(PrintStream out) {
        this.out = out;
    }

    /**
     * @param point where a thread freezes
     * @param nth the how-manieth thread to reach it from now freezes (1 or more)
     */
    void arm(Point point, int nth) {
        countdown.set(nth);
        armed.set(point);
    }

    /** @param hold whether the outbox claims nothing from now on (the node delivers no event) */
    void hold(boolean hold) {
        this.held = hold;
    }

    private void reached(Point point, String what) {
        if (armed.get() == point && countdown.decrementAndGet() == 0 && armed.compareAndSet(point, null)) {
            out.println("FROZEN " + point.wireName() + " " + what);
            while (true) {
                LockSupport.park(this);
            }
        }
    }

    /**
     * @param target a repository with the outbox (e.g. {@code JdbcJobRepository.withOutbox()})
     * @return it, freezing and holding as armed
     */
    <R extends JobRepository & EventOutbox> JobRepository repository(R target) {
        return new Repository(target, target);
    }

    /** The node's repository: the jobs forwarded, the outbox forwarded with the kill points and the hold. */
    private final class Repository extends ForwardingJobRepository implements EventOutbox {
        private final EventOutbox outbox;

        Repository(JobRepository jobs, EventOutbox outbox) {
            super(jobs);
            this.outbox = outbox;
        }

        @Override
        public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
            StoredJob stored = super.commit(job, newEvents);
            ended(stored, newEvents);
            return stored;
        }

        @Override
        public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap) {
            Optional<StoredJob> stored = super.commitIfRunsInFlightBelow(job, newEvents, cap);
            stored.ifPresent(s -> ended(s, newEvents));
            return stored;
        }

        private void ended(StoredJob stored, List<JobEvent> newEvents) {
            for (JobEvent e : newEvents) {
                if (e.type() == JobEventType.STATUS_CHANGED && e.to() != null && e.to().isTerminal()) {
                    reached(Point.COMMITTED, stored.id() + " " + e.to().wireName());
                }
            }
        }

        @Override
        public List<OutboxRecord> claimEvents(String owner, Instant now, Instant leaseUntil, int limit) {
            if (held) {
                return List.of();
            }
            List<OutboxRecord> claimed = outbox.claimEvents(owner, now, leaseUntil, limit);
            if (armed.get() == Point.MID_BATCH && claimed.size() >= MIN_BATCH && batch.get() == null) {
                batchPosition.set(0);
                batch.set(claimed);
            }
            return claimed;
        }

        @Override
        public boolean eventDelivered(OutboxRecord claimed) {
            reached(Point.DELIVERED, claimed.event().id());
            List<OutboxRecord> current = batch.get();
            if (current != null) {
                int position = batchPosition.incrementAndGet();
                if (position == current.size() / 2 + 1) {
                    reached(Point.MID_BATCH, claimed.event().id() + " record " + position + " of "
                            + current.size() + " tenants " + current.stream().map(r -> r.event().orderKey())
                            .collect(Collectors.joining(",")));
                }
            }
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
}
