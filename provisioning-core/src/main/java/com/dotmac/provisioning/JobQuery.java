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
 */
public record JobQuery(
        @Nullable String tenantId,
        @Nullable JobStatus status,
        @Nullable Operation operation,
        @Nullable String errorCode,
        @Nullable Instant createdSince) {

    /** @return a query that matches every job */
    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null);
    }

    /**
     * @param job a job
     * @return whether it matches every criterion that is set
     */
    public boolean matches(ProvisioningJob job) {
        return (tenantId == null || tenantId.equals(job.tenantId()))
                && (status == null || status == job.status())
                && (operation == null || operation == job.operation())
                && (errorCode == null || errorCode.equals(job.errorCode()))
                && (createdSince == null || !job.createdAt().isBefore(createdSince));
    }
}
