package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.OutboxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox delivery worker of one node: claims the heads of the tenants' queues in the outbox (leased like jobs, so
 * a dead node's claims are taken over when their lease runs out), hands each event to every registered consumer that
 * does not have it yet, in sequence order, and deletes it once all have it; a consumer that throws gets the event again
 * after the engine's retry back-off ({@code retry.Backoff}, by the record's failed attempts), and the consumers that
 * took it are recorded so they do not get it again. Runs on a thread of its own
 * ({@link com.dotmac.provisioning.spi.Scheduler#scheduleOnOwnThread}), so a slow consumer never holds up jobs.
 *
 * <p>Thread-safe for the way it is used: {@link #deliver()} runs on one thread at a time (the task's own thread, or a
 * test's); the consumers map is immutable.
 */
public final class EventDelivery {
    private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);
    /** Records claimed per round (at most one per tenant). */
    static final int BATCH = 100;
    /** Rounds per run at most, so one run ends even when events keep coming. */
    static final int MAX_ROUNDS = 100;

    private final EngineContext ctx;
    private final EventOutbox outbox;
    private final Map<String, EventConsumer> consumers;

    /**
     * @param ctx the engine's context (clock, node id, lease duration, retry back-off)
     * @param outbox the repository's outbox
     * @param consumers the consumers by name, in the order they get each event
     */
    public EventDelivery(EngineContext ctx, EventOutbox outbox, Map<String, EventConsumer> consumers) {
        this.ctx = ctx;
        this.outbox = outbox;
        this.consumers = new LinkedHashMap<>(consumers);
    }

    /**
     * Delivers what is due: rounds of claims until none returns a record (or {@value #MAX_ROUNDS} rounds). Throws
     * nothing but a {@link VirtualMachineError}: a repository failure (or an {@link Error} from a consumer) is logged
     * and the next run tries again.
     *
     * @return how many events were delivered to every consumer (and deleted) in this run
     */
    public int deliver() {
        int delivered = 0;
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                Instant now = ctx.alignedClock().instant();
                Duration lease = ctx.settings().leaseDuration();
                List<OutboxRecord> claimed = outbox.claimEvents(ctx.settings().nodeId(), now, now.plus(lease), BATCH);
                if (claimed.isEmpty()) {
                    break;
                }
                for (OutboxRecord r : claimed) {
                    if (deliverOne(r)) {
                        delivered++;
                    }
                }
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // a repository failure, or an Error a consumer threw: the claimed event comes back when its lease ends
            log.warn("event delivery stopped for now: {}; it runs again at the next interval", e.toString());
        }
        return delivered;
    }

    private boolean deliverOne(OutboxRecord r) {
        Set<String> done = new HashSet<>(r.deliveredTo());
        String failure = null;
        for (Map.Entry<String, EventConsumer> c : consumers.entrySet()) {
            if (done.contains(c.getKey())) {
                continue;
            }
            try {
                c.getValue().accept(r.event());
                done.add(c.getKey());
            } catch (Exception e) {
                failure = c.getKey() + ": " + e;
            }
        }
        if (failure == null) {
            return outbox.eventDelivered(r);
        }
        int attempt = r.attempts() + 1;
        Instant retryAt = ctx.alignedClock().instant().plus(ctx.retryDelay(attempt));
        log.warn("event {} ({} of tenant {}) not taken by consumer {} (attempt {}); it comes again at {}",
                r.event().id(), r.event().type(), r.event().tenantId(), failure, attempt, retryAt);
        outbox.eventDeliveryFailed(r, done, retryAt);
        return false;
    }
}
