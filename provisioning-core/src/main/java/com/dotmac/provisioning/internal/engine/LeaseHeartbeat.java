package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's heartbeat: keeps the leases of the jobs it works on, so that a lease can be short (a dead node's jobs
 * are taken over within a lease) while a live node never loses a job it is working on, however long a runner call
 * takes. Every {@link #interval()} (a quarter of the lease) one {@code renewLeases} write extends the leases of all
 * held jobs to a whole lease from now.
 *
 * <p>A job is held from its claim until the thread that works on it is done ({@link #hold} / {@link Hold#drop}).
 * When a job's lease could not be kept — another node claimed it, or renewals failed until the lease was a quarter
 * from its end — the runner calls in flight for it are interrupted ({@link #watchCall}), so that no call outlives
 * the lease it was made under; the job's next version-checked write fails and its thread lets it go.
 *
 * <p>Thread-safe: the held jobs are a concurrent map written by the engine's threads and read by the heartbeat's
 * thread; each {@link Hold} is one claim's token, so a later claim of the same job is not dropped by an earlier
 * thread's end. Logs under {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class LeaseHeartbeat {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final String nodeId;
    private final Duration interval;
    private final ConcurrentHashMap<String, Hold> held = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private final RepositoryOutage outage;

    LeaseHeartbeat(EngineContext ctx, RepositoryOutage outage) {
        this.ctx = ctx;
        this.outage = outage;
        this.nodeId = ctx.settings().nodeId();
        this.interval = ctx.settings().leaseDuration().dividedBy(4);
    }

    /** @return how often leases are renewed: a quarter of the lease */
    Duration interval() {
        return interval;
    }

    /**
     * Starts holding a job this node has just claimed (or created under its lease).
     *
     * @return the claim's token; {@link Hold#drop()} it when the job's thread is done with it
     */
    Hold hold(StoredJob claimed) {
        Instant until = claimed.leaseUntil();
        Hold hold = new Hold(claimed.id(), until != null ? until : ctx.clock().instant());
        held.put(claimed.id(), hold);
        return hold;
    }

    /** @return whether this node holds no job: nothing for a beat to renew */
    boolean holdsNothing() {
        return held.isEmpty();
    }

    /**
     * Registers a runner call in flight for a job, to be given up when the job's lease is lost.
     *
     * @param giveUp gives the call up (interrupts the thread that makes it); may run more than once, on the
     *     heartbeat's thread or, when the lease is already lost, at once on this one
     * @return what unregisters it (a no-op when the job is not held)
     */
    Runnable watchCall(String jobId, Runnable giveUp) {
        Hold hold = held.get(jobId);
        if (hold == null) {
            return () -> { };
        }
        hold.calls.add(giveUp);
        if (hold.lost) {
            giveUp.run();
        }
        return () -> hold.calls.remove(giveUp);
    }

    /**
     * One beat: extends the leases of the held jobs, and gives up the calls of those whose lease is lost. Never
     * throws.
     */
    void beat() {
        if (held.isEmpty()) {
            return;
        }
        Map<String, Hold> beating = new HashMap<>(held);
        Instant now = ctx.clock().instant();
        Instant until = now.plus(ctx.settings().leaseDuration());
        Set<String> kept;
        try {
            kept = ctx.repository().renewLeases(nodeId, beating.keySet(), until);
        } catch (RepositoryUnavailableException e) {
            // the outage's one warning says it; no line of the heartbeat's own
            outage.noticed(e);
            if (!failing) {
                failing = true;
                log.debug("node {}: could not renew the leases of {} job(s): {}", nodeId, beating.size(),
                        e.getMessage());
            }
            loseExpiring(beating, now);
            return;
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("node {}: could not renew the leases of {} job(s); runner calls are given up before a "
                        + "lease runs out", nodeId, beating.size(), e);
            }
            loseExpiring(beating, now);
            return;
        }
        if (failing) {
            failing = false;
            log.info("node {}: leases are renewed again", nodeId);
        }
        beating.values().forEach(h -> {
            if (kept.contains(h.jobId)) {
                h.leaseUntil = until;
            } else {
                lose(h, "another node took it over, or it was released");
            }
        });
    }

    /** Gives up the calls of the held jobs whose leases, not renewed, are a quarter from their end. */
    private void loseExpiring(Map<String, Hold> beating, Instant now) {
        beating.values().forEach(h -> {
            if (!now.isBefore(h.leaseUntil.minus(interval))) {
                lose(h, "its lease could not be renewed and runs out at " + h.leaseUntil);
            }
        });
    }

    private void lose(Hold h, String why) {
        h.lost = true;
        if (!h.calls.isEmpty()) {
            log.warn("job {}: node {} gives up {} runner call(s) in flight: {}", h.jobId, nodeId, h.calls.size(),
                    why);
            h.calls.forEach(Runnable::run);
        }
    }

    /** One claim of a job by this node: dropped when the thread that works on it is done. */
    final class Hold {
        private final String jobId;
        private final Set<Runnable> calls = ConcurrentHashMap.newKeySet();
        private volatile Instant leaseUntil;
        private volatile boolean lost;

        private Hold(String jobId, Instant leaseUntil) {
            this.jobId = jobId;
            this.leaseUntil = leaseUntil;
        }

        /** Stops holding the job (unless a later claim of it holds it now). */
        void drop() {
            held.remove(jobId, this);
        }
    }
}
