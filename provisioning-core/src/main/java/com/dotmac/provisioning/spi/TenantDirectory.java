package com.dotmac.provisioning.spi;

import java.util.Optional;

/**
 * The host platform's tenants. Implemented by the host, or by {@code JdbcTenantDirectory} over the host's own
 * table. Implementations must be thread-safe.
 */
public interface TenantDirectory {

    /**
     * @param tenantId a tenant id
     * @return the tenant with its slug and current status, or empty when it does not exist
     */
    Optional<Tenant> find(String tenantId);

    /**
     * Sets a tenant's status. Must be idempotent: the engine applies a status again after a failure or crash until
     * this method returns normally. Any exception means "not applied"; it is retried with back-off.
     *
     * @param tenantId the tenant
     * @param status the new status, e.g. {@code provisioned}
     * @param change the job that causes it
     */
    void applyStatus(String tenantId, String status, TenantStatusChange change);
}
