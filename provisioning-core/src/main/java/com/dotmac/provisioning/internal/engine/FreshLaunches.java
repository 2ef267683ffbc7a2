package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The first launch attempts that a request's insert already fenced (docs/PERFORMANCE.md, issue 19 goals 1-2 round 2):
 * a job that a request creates and hands straight to the scheduler is inserted with {@code launch_pending_since}
 * set, so that a node that takes it over after its creator died looks for its run before launching (as after any
 * launch attempt). Its creator then calls the runner without a "launch pending" write of its own; the attempt's
 * {@code launch_pending} event and count (and the tenant status applied on the request thread) are recorded by the
 * attempt's next write: the run launched, the launch refused or failed ({@link Unrecorded}).
 *
 * <p>A reservation holds for the version the insert wrote, while this node holds the job's lease; whoever takes it
 * first ({@link #take}) decides: the launch step (which then calls the runner), a cancel (which then ends the job
 * before any runner call), or a refusal or failed handoff (which then clear {@code launch_pending_since}: no runner
 * was called). A job written meanwhile is not the inserted one: its launch goes the usual way (it searches first).
 *
 * <p>Thread-safe: one concurrent map; each reservation is taken at most once.
 */
final class FreshLaunches {
    private final String nodeId;
    private final ConcurrentHashMap<String, Long> reserved = new ConcurrentHashMap<>();

    FreshLaunches(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Reserves the first launch attempt of a job this node inserted launch-pending under its lease. */
    void reserve(StoredJob inserted) {
        reserved.put(inserted.id(), inserted.version());
    }

    /**
     * Takes the reservation of a job (removing it in any case).
     *
     * @return whether {@code s} is the job as inserted, still leased by this node, and no runner was called for it
     */
    boolean take(StoredJob s) {
        Long version = reserved.remove(s.id());
        return version != null && version == s.version() && nodeId.equals(s.leaseOwner())
                && s.launchPendingSince() != null;
    }

    /** Forgets a job's reservation, if any (its drive or handoff is over). */
    void forget(String jobId) {
        reserved.remove(jobId);
    }

    /**
     * Starts a reserved launch attempt without writing: the job as its first write must record it (the attempt
     * counted, the tenant status applied on the request thread flagged), and the events that write must carry first.
     *
     * @param s the reserved job, as inserted
     * @param applied the tenant status applied for it and not recorded, or null
     * @param maxAttempts the launch attempts allowed
     * @param now when the attempt begins
     * @return the attempt
     */
    static Unrecorded begin(StoredJob s, @Nullable AppliedStatus applied, int maxAttempts, Instant now) {
        int attempt = s.job().retryCount() + 1;
        JobEvent launchPending = JobEvent.of(s.id(), now, JobEventType.LAUNCH_PENDING, "launch attempt " + attempt
                + " of " + maxAttempts, Map.of("attempt", (long) attempt));
        StoredJob pending = s.withJob(s.job().toBuilder().retryCount(attempt).build());
        return new Unrecorded(applied != null ? pending.withTenantStatusApplied(true) : pending,
                applied == null ? null : applied.event(), launchPending);
    }

    /**
     * A reserved launch attempt begun without a write.
     *
     * @param pending the job as the attempt's first write must record it (same version as inserted)
     * @param tenantStatusApplied the tenant status applied on the request thread ({@link AppliedStatus}), or null
     * @param launchPending the attempt's {@code launch_pending} event
     */
    record Unrecorded(StoredJob pending, @Nullable JobEvent tenantStatusApplied, JobEvent launchPending) {

        /**
         * The attempt after somebody wrote the job meanwhile (a cancel, a newer job's status marked to be applied
         * again): the attempt is still counted and its event recorded, but the tenant status applied for the older
         * version is not (as {@link AppliedStatus} is valid for one version only: the job's status is applied again).
         *
         * @param written the job as written meanwhile, still queued
         * @return what to record on it
         */
        Unrecorded onto(StoredJob written) {
            StoredJob counted = written.withJob(written.job().toBuilder()
                    .retryCount(Math.max(written.job().retryCount(), pending.job().retryCount())).build());
            return new Unrecorded(counted, null, launchPending);
        }

        /**
         * Adds the events to a change of the job; call it before anything else is added to that change, so that the
         * events keep their order.
         *
         * @param change a change of {@link #pending}
         * @param unrecorded what to add, or null for nothing
         * @return the change
         */
        static JobChange recordIn(JobChange change, @Nullable Unrecorded unrecorded) {
            if (unrecorded != null) {
                if (unrecorded.tenantStatusApplied != null) {
                    change.event(unrecorded.tenantStatusApplied);
                }
                change.event(unrecorded.launchPending);
            }
            return change;
        }
    }
}
