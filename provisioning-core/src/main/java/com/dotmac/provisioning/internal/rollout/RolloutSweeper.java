package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims the rollouts that are due (a lease each, so that one node at a time works on a rollout and the count of its
 * members in flight cannot race) and advances each ({@link RolloutStep}). Run by the provisioner every sweep
 * interval, and by {@link com.dotmac.provisioning.TenantProvisioner#sweepNow()}.
 *
 * <p>Thread-safe; stateless apart from its parts.
 */
public final class RolloutSweeper {
    private static final Logger log = LoggerFactory.getLogger(RolloutSweeper.class);
    /** Rollouts claimed per sweep. */
    static final int CLAIM_LIMIT = 10;

    private final RolloutContext ctx;
    private final RolloutStep step;

    /** @param ctx what the rollout engine works with */
    public RolloutSweeper(RolloutContext ctx) {
        this.ctx = ctx;
        this.step = new RolloutStep(ctx);
    }

    /**
     * Advances every due rollout once. Never throws: a failure is logged and the rollout is looked at again once
     * its lease has run out.
     *
     * @return how many rollouts were claimed
     */
    public int sweep() {
        List<StoredRollout> claimed;
        try {
            Instant now = ctx.clock().instant();
            claimed = ctx.rollouts().claimDue(ctx.nodeId(), now, now.plus(ctx.lease()), CLAIM_LIMIT);
        } catch (RepositoryUnavailableException e) {
            // the job engine logs the outage once and backs off; the rollouts wait for its return
            log.debug("rollout sweep: the database cannot be reached: {}", e.getMessage());
            return 0;
        } catch (RuntimeException e) {
            log.warn("rollout sweep could not claim rollouts; it runs again at the next sweep: {}", e.toString());
            return 0;
        }
        for (StoredRollout s : claimed) {
            try {
                step.advance(s);
            } catch (RepositoryUnavailableException e) {
                log.debug("rollout {}: the database cannot be reached; looked at again after its lease", s.id());
                break;
            } catch (RuntimeException e) {
                log.warn("rollout {}: this look failed; it is looked at again after its lease ({})", s.id(),
                        ctx.lease(), e);
            }
        }
        return claimed.size();
    }
}
