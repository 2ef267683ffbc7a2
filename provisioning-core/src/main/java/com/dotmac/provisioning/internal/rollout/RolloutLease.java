package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.List;

/**
 * The lease a look holds on its rollout, kept while the look starts members: renewed (a version-checked write of the
 * rollout as claimed) whenever less than half of it is left, so that no other node claims the rollout, counts its
 * members in flight and starts more while this look is still starting members on an older count; lost when that
 * write finds the rollout changed (another node claimed it after the lease ran out, or an operator paused, resumed
 * or aborted it), and then the look must start no more members.
 *
 * <p>Not thread-safe: one per look, used by the thread that runs the look.
 */
final class RolloutLease {
    private final RolloutContext ctx;
    private StoredRollout current;

    /**
     * @param ctx what the rollout engine works with
     * @param claimed the rollout as this node claimed it
     */
    RolloutLease(RolloutContext ctx, StoredRollout claimed) {
        this.ctx = ctx;
        this.current = claimed;
    }

    /** @return the rollout as this look last wrote or claimed it (the version the look's final write checks) */
    StoredRollout current() {
        return current;
    }

    /**
     * @param now the time
     * @return whether this node still holds the lease, renewed for a whole lease when less than half was left
     * @throws RuntimeException when the repository fails (the look fails; the rollout waits for its lease)
     */
    boolean hold(Instant now) {
        Instant until = current.leaseUntil();
        if (until != null && until.isAfter(now.plus(ctx.lease().dividedBy(2)))) {
            return true;
        }
        try {
            current = ctx.rollouts().commit(current.withLease(ctx.nodeId(), now.plus(ctx.lease())), List.of());
            return true;
        } catch (StaleRolloutException changed) {
            return false;
        }
    }
}
