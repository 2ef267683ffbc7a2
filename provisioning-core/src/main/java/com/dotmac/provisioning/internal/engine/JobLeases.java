package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * This node's leases on jobs: how long a claim lasts, renewing one before a long runner call, giving a job back with
 * its next check (and processing it soon when that check is already due), and re-reading a job after a lost version
 * check while it is still ours.
 *
 * <p>Thread-safe: it holds only the node id, the writer and the "process soon" hook, all fixed at construction;
 * every lease change is a version-checked write to the repository.
 */
final class JobLeases {
    private final EngineContext ctx;
    private final JobWriter writer;
    private final String nodeId;
    private final Consumer<String> processSoon;

    /**
     * @param processSoon asks the engine to process a job soon (it does nothing when the engine is stopped)
     */
    JobLeases(EngineContext ctx, JobWriter writer, Consumer<String> processSoon) {
        this.ctx = ctx;
        this.writer = writer;
        this.nodeId = ctx.settings().nodeId();
        this.processSoon = processSoon;
    }

    /** @return this node's name in leases */
    String nodeId() {
        return nodeId;
    }

    /** @return when a lease taken now runs out */
    Instant leaseUntil(Instant now) {
        return now.plus(ctx.settings().leaseDuration());
    }

    /** Extends this node's lease from now (version-checked: throws when the job was claimed by another node). */
    StoredJob renew(StoredJob s) {
        Instant now = ctx.clock().instant();
        return writer.commit(JobChange.of(s, now).stored(x -> x.withLease(nodeId, leaseUntil(now))));
    }

    /**
     * Gives up the lease and sets the next check (none: {@code null}); when the check that stuck is already due, the
     * job is processed again soon.
     */
    void release(StoredJob s, @Nullable Instant nextCheckAt) {
        Instant at = writer.release(s, nextCheckAt, nodeId);
        if (at != null && !at.isAfter(ctx.clock().instant())) {
            processSoon.accept(s.id());
        }
    }

    /** @return the job as stored now while this node holds its lease, else null (gone, or claimed by another) */
    @Nullable StoredJob reloadIfOurs(String jobId) {
        StoredJob fresh = ctx.repository().find(jobId).orElse(null);
        if (fresh == null || !nodeId.equals(fresh.leaseOwner())) {
            return null;
        }
        return fresh;
    }
}
