package com.dotmac.provisioning.spi;

import java.util.Optional;

/**
 * The host platform's tenants. Implemented by the host, or by {@code JdbcTenantDirectory} over the host's own
 * table.
 *
 * <p>Thread-safety: implementations must be thread-safe; the engine calls them from several threads, and engines on
 * several nodes may change different tenants (or repeat one status of the same tenant) at once.
 *
 * <p>Every implementation passes {@code TenantDirectoryContract} from {@code provisioning-testkit}.
 */
public interface TenantDirectory {

    /**
     * Reads a tenant. The engine uses the returned id for the job and for {@link #applyStatus}, and the status to
     * decide whether an operation is allowed, so a status set by {@link #applyStatus} must be what a later call
     * reports.
     *
     * @param tenantId a tenant id, compared as a value (not a pattern or prefix)
     * @return the tenant with its slug and current status, or empty when it does not exist (also for an id the
     *     directory could never hold)
     * @throws RuntimeException when the directory cannot be read (the request fails)
     */
    Optional<Tenant> find(String tenantId);

    /**
     * Sets a tenant's status, changing no other tenant. Must be idempotent: the engine applies a status again after
     * a failure or crash until this method returns normally, so setting the status a tenant already has succeeds.
     * For a tenant that no longer exists (deleted while its job ran) it returns normally without creating it: there
     * is nothing left to update, and an exception would make the engine retry for ever.
     *
     * @param tenantId the tenant
     * @param status the new status, e.g. {@code provisioned} (one of {@link com.dotmac.provisioning.TenantStatus})
     * @param change the job that causes it
     * @throws RuntimeException any exception means "not applied"; the engine retries with back-off
     */
    void applyStatus(String tenantId, String status, TenantStatusChange change);
}
