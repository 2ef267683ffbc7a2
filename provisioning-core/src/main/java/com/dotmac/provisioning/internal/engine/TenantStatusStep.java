package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.Strings;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the tenant status that goes with a job ({@link TenantStatusRules}) in the host's tenant directory: the
 * status of the job's current state (a job whose status is not yet applied does nothing else), and the status of
 * an ending, which goes into the same commit as the ending itself. The job remembers whether the directory accepted
 * it ({@code tenant_status_applied}); a refusal is retried after the engine's retry back-off
 * ({@link com.dotmac.provisioning.EngineSettings#retryBackoff()}), which grows with the job's refusals in a row on
 * this node (a node that takes the job over starts again from the first delay).
 *
 * <p>Thread-safe: its only state is the count of refusals per job (a concurrent map, emptied when the directory
 * accepts); each call works on one claimed job, and its writes are version-checked.
 * Logs under {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class TenantStatusStep {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private static final int MAX_TRACKED = 10_000;

    private final EngineContext ctx;
    private final JobWriter writer;
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    TenantStatusStep(EngineContext ctx, JobWriter writer) {
        this.ctx = ctx;
        this.writer = writer;
    }

    /**
     * Applies the tenant status that goes with the job's status. On success the job continues (or, when terminal,
     * is released for good); on failure it is released to try again later.
     *
     * @return the job to continue with, or null when it was released
     */
    @Nullable StoredJob apply(StoredJob s, Instant now) {
        ProvisioningJob job = s.job();
        String tenantStatus = TenantStatusRules.tenantStatusFor(job.operation(), job.status());
        try {
            ctx.directory().applyStatus(job.tenantId(), tenantStatus,
                    new TenantStatusChange(job.id(), job.operation(), job.status()));
        } catch (RuntimeException e) {
            if (refusals.size() > MAX_TRACKED) {
                refusals.clear(); // jobs another node finished; their counts would only accumulate
            }
            Instant retryAt = now.plus(ctx.retryDelay(refusals.merge(job.id(), 1, Integer::sum)));
            log.warn("job {}: tenant directory refused status '{}' for tenant {}; retrying at {}: {}", job.id(),
                    tenantStatus, job.tenantId(), retryAt, e.toString());
            writer.commit(JobChange.of(s, now)
                    .event(JobEventType.TENANT_STATUS_FAILED, "could not set tenant status '" + tenantStatus
                            + "': " + Strings.abbreviate(e.getClass().getSimpleName() + ": " + e.getMessage(), 300),
                            Map.of("tenant_status", tenantStatus, "retry_at", retryAt.toString()))
                    .stored(x -> x.withLease(null, null).withNextCheckAt(retryAt)));
            return null;
        }
        refusals.remove(job.id());
        boolean terminal = job.status().isTerminal();
        StoredJob saved = writer.commit(JobChange.of(s, now)
                .event(JobEventType.TENANT_STATUS_APPLIED, "tenant status set to '" + tenantStatus + "'",
                        Map.of("tenant_status", tenantStatus))
                .stored(x -> terminal ? x.withTenantStatusApplied(true).withLease(null, null)
                        .withNextCheckAt(watchedAt(x, now)) : x.withTenantStatusApplied(true)));
        log.debug("job {}: tenant {} status set to {}", job.id(), job.tenantId(), tenantStatus);
        return terminal ? null : saved;
    }

    /**
     * @return when an ended job is next looked at: never, unless a launch attempt may have started a run the job
     *     never saw ({@link StrayRunWatch#lookAfterEnd})
     */
    private static @Nullable Instant watchedAt(StoredJob ended, Instant now) {
        return ended.launchPendingSince() == null ? null : now.plus(StrayRunWatch.STRAY_LOOK_EVERY);
    }

    /**
     * Applies the tenant status that goes with an ending before the ending is written, so that one commit records
     * both. A crash in between leaves the job in progress: the run is polled again and the same (idempotent) status
     * applied again.
     *
     * @param change the ending, not yet written; on success it also records the applied status
     * @return whether the directory accepted it (the change then also releases the job for good)
     */
    boolean applyWithEnding(StoredJob s, JobChange change) {
        ProvisioningJob job = s.job();
        String tenantStatus = TenantStatusRules.tenantStatusFor(job.operation(), change.status());
        try {
            ctx.directory().applyStatus(job.tenantId(), tenantStatus,
                    new TenantStatusChange(job.id(), job.operation(), change.status()));
        } catch (RuntimeException e) {
            log.warn("job {}: tenant directory refused status '{}' for tenant {}; retrying: {}", job.id(),
                    tenantStatus, job.tenantId(), e.toString());
            return false;
        }
        refusals.remove(job.id());
        change.event(JobEventType.TENANT_STATUS_APPLIED, "tenant status set to '" + tenantStatus + "'",
                Map.of("tenant_status", tenantStatus))
                .stored(x -> x.withTenantStatusApplied(true).withLease(null, null).withNextCheckAt(null));
        return true;
    }
}
