package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.rollout.Rollout;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A rollout as a {@link RolloutRepository} stores it: the public {@link Rollout} (whose member counts a repository
 * fills in when it reads) plus the engine's bookkeeping. Immutable and thread-safe; the {@code with...} methods
 * return changed copies.
 *
 * @param rollout the rollout
 * @param version the optimistic-locking version; a repository increments it on every write
 * @param leaseOwner the node that works on the rollout now, or null
 * @param leaseUntil when that lease expires, or null
 * @param nextCheckAt when a node should look at the rollout again; null once it is terminal
 * @param idempotencyKey the key of the request that created it (unique among rollouts), or null
 */
public record StoredRollout(
        Rollout rollout,
        long version,
        @Nullable String leaseOwner,
        @Nullable Instant leaseUntil,
        @Nullable Instant nextCheckAt,
        @Nullable String idempotencyKey) {

    /** Checks the rollout is present. */
    public StoredRollout {
        Objects.requireNonNull(rollout, "rollout");
    }

    /**
     * A rollout created without an idempotency key.
     *
     * @param rollout the rollout
     * @param version the optimistic-locking version
     * @param leaseOwner the node that works on it now, or null
     * @param leaseUntil when that lease expires, or null
     * @param nextCheckAt when a node should look at it again, or null
     */
    public StoredRollout(Rollout rollout, long version, @Nullable String leaseOwner, @Nullable Instant leaseUntil,
            @Nullable Instant nextCheckAt) {
        this(rollout, version, leaseOwner, leaseUntil, nextCheckAt, null);
    }

    /** @return the rollout's id */
    public String id() {
        return rollout.id();
    }

    /** @param v the rollout @return a copy */
    public StoredRollout withRollout(Rollout v) {
        return new StoredRollout(v, version, leaseOwner, leaseUntil, nextCheckAt, idempotencyKey);
    }

    /** @param v the version @return a copy */
    public StoredRollout withVersion(long v) {
        return new StoredRollout(rollout, v, leaseOwner, leaseUntil, nextCheckAt, idempotencyKey);
    }

    /** @param owner the lease owner or null @param until its expiry or null @return a copy */
    public StoredRollout withLease(@Nullable String owner, @Nullable Instant until) {
        return new StoredRollout(rollout, version, owner, until, nextCheckAt, idempotencyKey);
    }

    /** @param v the next check or null @return a copy */
    public StoredRollout withNextCheckAt(@Nullable Instant v) {
        return new StoredRollout(rollout, version, leaseOwner, leaseUntil, v, idempotencyKey);
    }
}
