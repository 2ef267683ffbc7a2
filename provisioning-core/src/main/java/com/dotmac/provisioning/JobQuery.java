package com.dotmac.provisioning;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs to list across tenants ({@link TenantProvisioner#findJobs}): every criterion that is set must match,
 * a null one matches every job. Immutable and thread-safe.
 *
 * @param tenantId only this tenant's jobs, or null
 * @param status only jobs in this status, or null
 * @param operation only jobs of this operation, or null
 * @param errorCode only jobs with this error code (e.g. {@code AWX_JOB_FAILED}), or null
 * @param createdSince only jobs created at or after this instant, or null
 * @param createdBefore only jobs created before this instant, or null
 * @param finishedSince only jobs that finished (reached a final status) at or after this instant, or null; a job
 *     that has not finished does not match
 */
public record JobQuery(
        @Nullable String tenantId,
        @Nullable JobStatus status,
        @Nullable Operation operation,
        @Nullable String errorCode,
        @Nullable Instant createdSince,
        @Nullable Instant createdBefore,
        @Nullable Instant finishedSince) {

    /**
     * A query without an upper creation bound and without a finish time.
     *
     * @param tenantId only this tenant's jobs, or null
     * @param status only jobs in this status, or null
     * @param operation only jobs of this operation, or null
     * @param errorCode only jobs with this error code, or null
     * @param createdSince only jobs created at or after this instant, or null
     */
    public JobQuery(@Nullable String tenantId, @Nullable JobStatus status, @Nullable Operation operation,
            @Nullable String errorCode, @Nullable Instant createdSince) {
        this(tenantId, status, operation, errorCode, createdSince, null, null);
    }

    /** @return a query that matches every job */
    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null);
    }

    /**
     * @param job a job
     * @return whether it matches every criterion that is set
     */
    public boolean matches(ProvisioningJob job) {
        Instant finishedAt = job.finishedAt();
        return (tenantId == null || tenantId.equals(job.tenantId()))
                && (status == null || status == job.status())
                && (operation == null || operation == job.operation())
                && (errorCode == null || errorCode.equals(job.errorCode()))
                && (createdSince == null || !job.createdAt().isBefore(createdSince))
                && (createdBefore == null || job.createdAt().isBefore(createdBefore))
                && (finishedSince == null || finishedAt != null && !finishedAt.isBefore(finishedSince));
    }
}
