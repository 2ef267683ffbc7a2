package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a tenant's status in the order of its jobs: the tenant's newest job owns the tenant status. A finished job
 * whose status is applied late (the directory refused it at the ending) must not overwrite the status a newer job
 * of the tenant set. Before such a late status is applied, {@link #newerJob} looks for a newer job (the newest of
 * the tenant's jobs by {@link com.dotmac.provisioning.spi.JobRepository#page}, newest first); after it was applied,
 * {@link #reapplyIfOvertaken} looks again, and when a newer job appeared in between (its status may have been
 * applied first and then overwritten), asks that job to apply its own status again, also when that job has not yet
 * recorded the status it applied. A new job can only be created
 * once the older one has finished (one active job per tenant), so "newer" is well defined: creation times are on the
 * repository's time ({@link RepositoryAlignedClock}), whatever the nodes' own clocks say.
 *
 * <p>Thread-safe: no state of its own; its one write is version-checked ({@link JobWriter#update}). Logs under
 * {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class TenantStatusOrder {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;

    TenantStatusOrder(EngineContext ctx, JobWriter writer) {
        this.ctx = ctx;
        this.writer = writer;
    }

    /**
     * @param job a finished job whose tenant status is to be applied late
     * @return the newest job of its tenant when that is another (newer) job, else null
     */
    @Nullable ProvisioningJob newerJob(ProvisioningJob job) {
        JobPage newest = ctx.repository().page(job.tenantId(), 1, 1);
        if (newest.items().isEmpty()) {
            return null;
        }
        ProvisioningJob first = newest.items().get(0);
        return first.id().equals(job.id()) || first.createdAt().isBefore(job.createdAt()) ? null : first;
    }

    /**
     * Called after a finished job's late status was applied: when a newer job of the tenant appeared meanwhile, its
     * status is marked as not applied and due now, so that it is applied again after the late one.
     *
     * @param late the finished job whose status was just applied
     * @param processSoon asks the engine to work on a job soon
     */
    void reapplyIfOvertaken(ProvisioningJob late, Instant now, Consumer<String> processSoon) {
        ProvisioningJob newer = newerJob(late);
        if (newer == null) {
            return;
        }
        log.warn("job {}: a newer job {} of tenant {} appeared while this job's late tenant status was applied; "
                + "the newer job's status is applied again", late.id(), newer.id(), late.tenantId());
        // written even when the newer job has not recorded its status yet: its creator may have applied it in the
        // directory before the late status and left it to the launch's write to record (AppliedStatus); the new
        // version makes that write fail its check, and the job applies its status again
        StoredJob marked = writer.update(newer.id(), current -> JobChange.of(current, now)
                .stored(x -> x.withTenantStatusApplied(false).withNextCheckAt(earlier(x.nextCheckAt(), now))));
        if (marked.leaseOwner() == null) {
            processSoon.accept(marked.id());
        }
    }

    private static Instant earlier(@Nullable Instant a, Instant b) {
        return a != null && a.isBefore(b) ? a : b;
    }
}
