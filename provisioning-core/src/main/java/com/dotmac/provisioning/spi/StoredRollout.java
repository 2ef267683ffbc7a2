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
 */
public record StoredRollout(
        Rollout rollout,
        long version,
        @Nullable String leaseOwner,
        @Nullable Instant leaseUntil,
        @Nullable Instant nextCheckAt) {

    /** Checks the rollout is present. */
    public StoredRollout {
        Objects.requireNonNull(rollout, "rollout");
    }

    /** @return the rollout's id */
    public String id() {
        return rollout.id();
    }

    /** @param v the rollout @return a copy */
    public StoredRollout withRollout(Rollout v) {
        return new StoredRollout(v, version, leaseOwner, leaseUntil, nextCheckAt);
    }

    /** @param v the version @return a copy */
    public StoredRollout withVersion(long v) {
        return new StoredRollout(rollout, v, leaseOwner, leaseUntil, nextCheckAt);
    }

    /** @param owner the lease owner or null @param until its expiry or null @return a copy */
    public StoredRollout withLease(@Nullable String owner, @Nullable Instant until) {
        return new StoredRollout(rollout, version, owner, until, nextCheckAt);
    }

    /** @param v the next check or null @return a copy */
    public StoredRollout withNextCheckAt(@Nullable Instant v) {
        return new StoredRollout(rollout, version, leaseOwner, leaseUntil, v);
    }
}
