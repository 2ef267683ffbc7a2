package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.spi.StoredJob;

/**
 * A tenant status the directory accepted for a job whose record of it is not yet written: the job's next write (its
 * "launch pending", or its release when the cap holds it back) carries the {@code tenant_status_applied} event and
 * flag, instead of a write of their own (docs/PERFORMANCE.md F5). Valid only for the version of the job it was
 * applied for: a job written meanwhile is decided anew (and its status applied again, which is idempotent).
 *
 * @param jobId the job
 * @param version the job's version when the status was applied
 * @param event the {@code tenant_status_applied} event, stamped when the directory accepted the status
 */
record AppliedStatus(String jobId, long version, JobEvent event) {
    /** @return whether this status may be recorded in the next write of {@code s} */
    boolean isFor(StoredJob s) {
        return jobId.equals(s.id()) && version == s.version() && !s.tenantStatusApplied();
    }

    /**
     * Adds the event and the flag to a change of the job.
     *
     * @return the change
     */
    JobChange recordIn(JobChange change) {
        return change.event(event).stored(x -> x.withTenantStatusApplied(true));
    }
}
