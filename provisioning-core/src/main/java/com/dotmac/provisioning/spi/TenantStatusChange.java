package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import java.util.Objects;

/**
 * Why a tenant's status is being set: the job and its state.
 *
 * @param jobId the job
 * @param operation its operation
 * @param jobStatus its status
 */
public record TenantStatusChange(String jobId, Operation operation, JobStatus jobStatus) {
    /** Checks the fields are present. */
    public TenantStatusChange {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(jobStatus, "jobStatus");
    }
}
