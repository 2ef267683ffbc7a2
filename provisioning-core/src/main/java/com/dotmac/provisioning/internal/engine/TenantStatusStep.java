package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantDirectoryBacklog;
import com.dotmac.provisioning.rules.Strings;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.spi.TenantStatusUpdate;
import com.dotmac.provisioning.state.TenantStatusRules;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the tenant status that goes with a job ({@link TenantStatusRules}) in the host's tenant directory: the
 * status of the job's current state (a job whose status is not yet applied does nothing else), and the status of
 * an ending, which goes into the same commit as the ending itself. The job remembers whether the directory accepted
 * it ({@code tenant_status_applied}); a refusal is retried after the engine's retry back-off
 * ({@link com.dotmac.provisioning.EngineSettings#retryBackoff()}), which grows with the job's refusals in a row
 * ({@link DirectoryRefusals}, which also decides which refusals are written as events: a few, not one each).
 * A finished job's late status is applied only while no newer job of its tenant exists, and a newer job that
 * appeared while it was applied gets its own status applied again ({@link TenantStatusOrder}); otherwise the late
 * status is dropped with a {@code tenant_status_superseded} event.
 *
 * <p>Thread-safe: its state is the refusal streaks (see {@link DirectoryRefusals}); each call works on one claimed
 * job, and its writes are version-checked. Logs under {@link ProvisioningEngine}'s logger, like every part of the
 * engine.
 */
final class TenantStatusStep {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;
    private final DirectoryRefusals refusals;
    private final TenantStatusOrder order;
    private final Consumer<String> processSoon;
    private final FreshLaunches fresh;

    TenantStatusStep(EngineContext ctx, JobWriter writer, Consumer<String> processSoon, FreshLaunches fresh) {
        this.fresh = fresh;
        this.ctx = ctx;
        this.writer = writer;
        this.refusals = new DirectoryRefusals(ctx);
        this.order = new TenantStatusOrder(ctx, writer);
        this.processSoon = processSoon;
    }

    /** @return this node's view of the jobs that wait on the tenant directory */
    TenantDirectoryBacklog backlog() {
        return refusals.backlog(ctx.clock().instant());
    }

    /**
     * Applies the tenant status that goes with the job's status. On success the job continues (or, when terminal,
     * is released for good); on failure it is released to try again later. A finished job whose tenant has a newer
     * job is released for good without applying anything.
     *
     * @return the job to continue with, or null when it was released
     */
    @Nullable StoredJob apply(StoredJob s, Instant now) {
        ProvisioningJob job = s.job();
        String tenantStatus = TenantStatusRules.tenantStatusFor(job.operation(), job.status());
        boolean terminal = job.status().isTerminal();
        if (terminal) {
            ProvisioningJob newer = order.newerJob(job);
            if (newer != null) {
                return supersede(s, tenantStatus, newer, now);
            }
        }
        AppliedStatus applied = applyInDirectory(s, tenantStatus, now);
        return applied == null ? null : record(s, applied, now);
    }

    /**
     * Applies the status of a queued job that launches next in the directory, without writing the job: the launch's
     * first write records it ({@link AppliedStatus#recordIn}). On a refusal the job is released to try again later,
     * as by {@link #apply}.
     *
     * @return the status to record, or null when the directory refused it (the job was released)
     */
    @Nullable AppliedStatus applyBeforeLaunch(StoredJob s, Instant now) {
        ProvisioningJob job = s.job();
        return applyInDirectory(s, TenantStatusRules.tenantStatusFor(job.operation(), job.status()), now);
    }

    /** @return the applied status, or null when the directory refused it (the refusal is written) */
    private @Nullable AppliedStatus applyInDirectory(StoredJob s, String tenantStatus, Instant now) {
        ProvisioningJob job = s.job();
        try {
            ctx.directory().applyStatus(job.tenantId(), tenantStatus,
                    new TenantStatusChange(job.id(), job.operation(), job.status()));
        } catch (RuntimeException e) {
            refused(s, tenantStatus, e, now);
            return null;
        }
        DirectoryRefusals.Streak streak = refusals.ended(job.id(), tenantStatus, now, job.status().isTerminal());
        log.debug("job {}: tenant {} status set to {}", job.id(), job.tenantId(), tenantStatus);
        return new AppliedStatus(s.id(), s.version(), JobEvent.of(s.id(), now, JobEventType.TENANT_STATUS_APPLIED,
                "tenant status set to '" + tenantStatus + "'"
                        + (streak == null ? "" : " after " + streak.count() + " refusals since " + streak.since()),
                streak == null ? Map.of("tenant_status", tenantStatus) : streak.data()));
    }

    /**
     * Records an applied status in a write of its own (when no launch follows to carry it). On success the job
     * continues (or, when terminal, is released for good).
     *
     * @return the job to continue with, or null when it was released
     */
    @Nullable StoredJob record(StoredJob s, AppliedStatus applied, Instant now) {
        ProvisioningJob job = s.job();
        boolean terminal = job.status().isTerminal();
        StoredJob saved = writer.commit(applied.recordIn(JobChange.of(s, now))
                .stored(x -> terminal ? x.withLease(null, null).withNextCheckAt(watchedAt(x, now)) : x));
        if (terminal) {
            order.reapplyIfOvertaken(job, now, processSoon);
        }
        return terminal ? null : saved;
    }

    /**
     * Records an applied status in the job's release (one write): for a job whose launch does not follow now.
     *
     * @param nextCheckAt when the job is looked at next
     * @throws com.dotmac.provisioning.spi.StaleJobException when the job changed since it was read
     */
    void recordWithRelease(StoredJob s, AppliedStatus applied, Instant nextCheckAt, Instant now) {
        writer.commit(applied.recordIn(JobChange.of(s, now))
                .stored(x -> x.withLease(null, null).withNextCheckAt(nextCheckAt)));
    }

    /**
     * Releases, due now, a job whose insert fenced a launch that is not made now (no runner was called): clears
     * {@code launch_pending_since} and records the applied status, if any (one write, as the release alone would be).
     *
     * @param applied the tenant status applied and not recorded, or null
     * @throws com.dotmac.provisioning.spi.StaleJobException when the job changed since it was read
     */
    void releaseUnlaunched(StoredJob s, @Nullable AppliedStatus applied, Instant now) {
        JobChange change = JobChange.of(s, now);
        if (applied != null) {
            applied.recordIn(change);
        }
        writer.commit(change.stored(x -> x.withLease(null, null).withLaunchPendingSince(null).withNextCheckAt(now)));
    }

    private void refused(StoredJob s, String tenantStatus, RuntimeException e, Instant now) {
        ProvisioningJob job = s.job();
        DirectoryRefusals.Streak streak = refusals.refused(job.id(), tenantStatus, now);
        Instant retryAt = now.plus(ctx.retryDelay(streak.count()));
        if (streak.count() == 1 || streak.eventDue()) {
            log.warn("job {}: tenant directory refused status '{}' for tenant {} ({} refusals since {}); retrying at "
                    + "{}: {}", job.id(), tenantStatus, job.tenantId(), streak.count(), streak.since(), retryAt,
                    e.toString());
        } else {
            log.debug("job {}: tenant directory refused status '{}' for tenant {} ({} refusals since {}); retrying at "
                    + "{}: {}", job.id(), tenantStatus, job.tenantId(), streak.count(), streak.since(), retryAt,
                    e.toString());
        }
        JobChange change = JobChange.of(s, now).stored(x -> x.withLease(null, null).withNextCheckAt(retryAt));
        if (fresh.take(s)) {
            // a request's insert fenced a launch that now does not happen: no runner was called
            change.stored(x -> x.withLaunchPendingSince(null));
        }
        if (streak.eventDue()) {
            Map<String, Object> data = new LinkedHashMap<>(streak.data());
            data.put("retry_at", retryAt.toString());
            change.event(JobEventType.TENANT_STATUS_FAILED, "could not set tenant status '" + tenantStatus + "'"
                    + (streak.count() == 1 ? "" : " (refusal " + streak.count() + " since " + streak.since() + ")")
                    + ": " + Strings.abbreviate(e.getClass().getSimpleName() + ": " + e.getMessage(), 300), data);
        }
        writer.commit(change);
    }

    /** Drops a finished job's late status: a newer job of its tenant owns the tenant status. */
    private @Nullable StoredJob supersede(StoredJob s, String tenantStatus, ProvisioningJob newer, Instant now) {
        ProvisioningJob job = s.job();
        DirectoryRefusals.Streak streak = refusals.ended(job.id(), tenantStatus, now, false);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant_status", tenantStatus);
        data.put("newer_job_id", newer.id());
        if (streak != null) {
            data.putAll(streak.data());
        }
        log.info("job {}: tenant status '{}' not applied: the newer job {} of tenant {} owns the tenant status",
                job.id(), tenantStatus, newer.id(), job.tenantId());
        writer.commit(JobChange.of(s, now)
                .event(JobEventType.TENANT_STATUS_SUPERSEDED, "tenant status '" + tenantStatus
                        + "' not applied: the newer job " + newer.id() + " of the tenant owns the tenant status", data)
                // nothing is left to apply; a launch whose outcome is unknown is still watched for a late run
                .stored(x -> x.withTenantStatusApplied(true).withLease(null, null)
                        .withNextCheckAt(watchedAt(x, now))));
        return null;
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
        TenantStatusUpdate update = endingUpdate(s, change);
        try {
            ctx.directory().applyStatus(update.tenantId(), update.status(), update.change());
        } catch (RuntimeException e) {
            endingRefused(s, update, e);
            return false;
        }
        endingApplied(s, update, change);
        return true;
    }

    /**
     * {@link #applyWithEnding} for many endings at once: one call of the directory's batch write
     * ({@link com.dotmac.provisioning.spi.TenantDirectory#applyStatuses}); each accepted status goes into its own
     * ending's change, as {@link #applyWithEnding} does.
     *
     * @param endings the endings, not yet written, with their jobs as read (terminal statuses only)
     * @return the ids of the jobs whose status the directory accepted (their changes also release them for good)
     */
    Set<String> applyAllWithEndings(Map<StoredJob, JobChange> endings) {
        Map<String, TenantStatusUpdate> updates = new LinkedHashMap<>();
        endings.forEach((s, change) -> updates.put(s.id(), endingUpdate(s, change)));
        Map<String, RuntimeException> refused;
        try {
            refused = ctx.directory().applyStatuses(List.copyOf(updates.values()));
        } catch (RuntimeException e) {
            refused = new HashMap<>();
            for (String id : updates.keySet()) {
                refused.put(id, e);
            }
        }
        Set<String> applied = new HashSet<>();
        for (Map.Entry<StoredJob, JobChange> e : endings.entrySet()) {
            StoredJob s = e.getKey();
            TenantStatusUpdate update = endingUpdate(s, e.getValue());
            RuntimeException failure = refused.get(s.id());
            if (failure == null) {
                endingApplied(s, update, e.getValue());
                applied.add(s.id());
            } else {
                endingRefused(s, update, failure);
            }
        }
        return applied;
    }

    private static TenantStatusUpdate endingUpdate(StoredJob s, JobChange change) {
        ProvisioningJob job = s.job();
        return new TenantStatusUpdate(job.tenantId(), TenantStatusRules.tenantStatusFor(job.operation(),
                change.status()), new TenantStatusChange(job.id(), job.operation(), change.status()));
    }

    private void endingRefused(StoredJob s, TenantStatusUpdate update, RuntimeException e) {
        log.warn("job {}: tenant directory refused status '{}' for tenant {}; retrying: {}", s.id(),
                update.status(), update.tenantId(), e.toString());
    }

    private void endingApplied(StoredJob s, TenantStatusUpdate update, JobChange change) {
        String tenantStatus = update.status();
        refusals.ended(s.id(), tenantStatus, ctx.clock().instant(), false);
        change.event(JobEventType.TENANT_STATUS_APPLIED, "tenant status set to '" + tenantStatus + "'",
                Map.of("tenant_status", tenantStatus))
                .stored(x -> x.withTenantStatusApplied(true).withLease(null, null).withNextCheckAt(null));
    }
}
