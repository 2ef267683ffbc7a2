package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ProvisioningJob;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job as a {@link JobRepository} stores it: the public {@link ProvisioningJob} plus the engine's bookkeeping.
 * Immutable and thread-safe; the {@code with...} methods return changed copies.
 *
 * @param job the job
 * @param version the optimistic-locking version; a repository increments it on every write
 * @param leaseOwner the node that holds the job's lease, or null
 * @param leaseUntil when that lease expires (on the repository's time, {@link JobRepository#currentTime()}), or null
 * @param nextCheckAt when the engine should look at the job again; null when there is nothing left to do
 * @param launchPendingSince when the first launch attempt began; set before the runner is called, so that after a
 *     crash the engine looks for the run ({@link AutomationRunner#findRuns}) before launching again
 * @param stop a pending cancel or timeout, or null
 * @param stopSentAt when the runner accepted the request to stop the run, or null
 * @param tenantStatusApplied whether the tenant directory has accepted the tenant status that goes with the job's
 *     current status
 */
public record StoredJob(
        ProvisioningJob job,
        long version,
        @Nullable String leaseOwner,
        @Nullable Instant leaseUntil,
        @Nullable Instant nextCheckAt,
        @Nullable Instant launchPendingSince,
        @Nullable StopRequest stop,
        @Nullable Instant stopSentAt,
        boolean tenantStatusApplied) {

    /** Checks the job is present. */
    public StoredJob {
        Objects.requireNonNull(job, "job");
    }

    /**
     * @param job a new job
     * @param nextCheckAt when the engine should first look at it
     * @return a new job's stored form: version 0, no lease, tenant status not yet applied
     */
    public static StoredJob newJob(ProvisioningJob job, Instant nextCheckAt) {
        return new StoredJob(job, 0, null, null, nextCheckAt, null, null, null, false);
    }

    /** @return the job's id */
    public String id() {
        return job.id();
    }

    /** @param v the job @return a copy */
    public StoredJob withJob(ProvisioningJob v) {
        return new StoredJob(v, version, leaseOwner, leaseUntil, nextCheckAt, launchPendingSince, stop, stopSentAt,
                tenantStatusApplied);
    }

    /** @param v the version @return a copy */
    public StoredJob withVersion(long v) {
        return new StoredJob(job, v, leaseOwner, leaseUntil, nextCheckAt, launchPendingSince, stop, stopSentAt,
                tenantStatusApplied);
    }

    /** @param owner the lease owner or null @param until its expiry or null @return a copy */
    public StoredJob withLease(@Nullable String owner, @Nullable Instant until) {
        return new StoredJob(job, version, owner, until, nextCheckAt, launchPendingSince, stop, stopSentAt,
                tenantStatusApplied);
    }

    /** @param v the next check time or null @return a copy */
    public StoredJob withNextCheckAt(@Nullable Instant v) {
        return new StoredJob(job, version, leaseOwner, leaseUntil, v, launchPendingSince, stop, stopSentAt,
                tenantStatusApplied);
    }

    /** @param v the launch-pending time or null @return a copy */
    public StoredJob withLaunchPendingSince(@Nullable Instant v) {
        return new StoredJob(job, version, leaseOwner, leaseUntil, nextCheckAt, v, stop, stopSentAt,
                tenantStatusApplied);
    }

    /** @param v the stop request or null @return a copy */
    public StoredJob withStop(@Nullable StopRequest v) {
        return new StoredJob(job, version, leaseOwner, leaseUntil, nextCheckAt, launchPendingSince, v, stopSentAt,
                tenantStatusApplied);
    }

    /** @param v when the stop was sent, or null @return a copy */
    public StoredJob withStopSentAt(@Nullable Instant v) {
        return new StoredJob(job, version, leaseOwner, leaseUntil, nextCheckAt, launchPendingSince, stop, v,
                tenantStatusApplied);
    }

    /** @param v whether the tenant status was applied @return a copy */
    public StoredJob withTenantStatusApplied(boolean v) {
        return new StoredJob(job, version, leaseOwner, leaseUntil, nextCheckAt, launchPendingSince, stop, stopSentAt,
                v);
    }
}
