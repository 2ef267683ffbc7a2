package com.dotmac.provisioning.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Sets the statuses of several tenants, each as {@link #applyStatus} sets one (idempotent; a tenant that no longer
     * exists is skipped), each independent of the others. The engine calls it for the ends of a sweep's poll batch.
     * The default calls {@link #applyStatus} for each update, in order, so a directory that does not implement it
     * keeps working; a directory over a database should set them in a few statements (e.g. one JDBC batch).
     *
     * <p>Thread-safe, like every method of a directory.
     *
     * @param updates the statuses to set; at most one per job
     * @return the updates that were not applied, by the job id of their {@link TenantStatusUpdate#change()}, each
     *     with the exception {@link #applyStatus} would have thrown for it; empty when every status was applied
     */
    default Map<String, RuntimeException> applyStatuses(List<TenantStatusUpdate> updates) {
        Map<String, RuntimeException> refused = new LinkedHashMap<>();
        for (TenantStatusUpdate u : updates) {
            try {
                applyStatus(u.tenantId(), u.status(), u.change());
            } catch (RuntimeException e) {
                refused.put(u.change().jobId(), e);
            }
        }
        return refused;
    }

    /**
     * Reads several tenants at once (a rollout checks all its tenants before it is stored). The default calls
     * {@link #find} for each; a directory over a database should read them in a few statements.
     *
     * @param tenantIds tenant ids
     * @return the tenants that exist, by id (ids that do not exist are absent)
     * @throws RuntimeException when the directory cannot be read
     */
    default Map<String, Tenant> findAll(Collection<String> tenantIds) {
        Map<String, Tenant> found = new LinkedHashMap<>();
        for (String id : tenantIds) {
            find(id).ifPresent(t -> found.put(id, t));
        }
        return found;
    }

    /**
     * Selects tenants by status, for a rollout over "every tenant in status X". Optional: the default says the
     * directory cannot (a rollout must then list its tenants).
     *
     * @param status a tenant status, e.g. {@code provisioned}
     * @param limit the most ids to return
     * @return the ids of tenants in that status, in a stable order (e.g. by id), at most {@code limit}
     * @throws UnsupportedOperationException when the directory cannot select by status
     * @throws RuntimeException when the directory cannot be read
     */
    default List<String> idsInStatus(String status, int limit) {
        throw new UnsupportedOperationException("this tenant directory cannot select tenants by status");
    }
}
