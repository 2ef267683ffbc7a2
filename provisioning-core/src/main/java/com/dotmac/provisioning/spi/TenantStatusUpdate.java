package com.dotmac.provisioning.spi;

import java.util.Objects;

/**
 * One status of a batch ({@link TenantDirectory#applyStatuses}): what {@link TenantDirectory#applyStatus} takes.
 * Immutable.
 *
 * @param tenantId the tenant
 * @param status the new status (one of {@link com.dotmac.provisioning.TenantStatus})
 * @param change the job that causes it; its job id names the update in the batch's result
 */
public record TenantStatusUpdate(String tenantId, String status, TenantStatusChange change) {
    /** Checks the fields are present. */
    public TenantStatusUpdate {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(change, "change");
    }
}
