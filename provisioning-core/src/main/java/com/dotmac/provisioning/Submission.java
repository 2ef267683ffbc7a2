package com.dotmac.provisioning;

import java.util.Objects;

/**
 * What {@link TenantProvisioner#submit} did with a request: the job, and whether this call created it or returned
 * the job an earlier (or concurrent) request with the same idempotency key created. Decided by what the repository
 * stored, so two concurrent requests with one key get one {@code created} and one not. Immutable.
 *
 * @param job the new job, or the one that holds the request's idempotency key
 * @param created whether this call created the job (an API answers 201 Created, otherwise 200 OK)
 */
public record Submission(ProvisioningJob job, boolean created) {
    /** Checks the job is present. */
    public Submission {
        Objects.requireNonNull(job, "job");
    }
}
