package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A {@link TenantDirectory} in the JVM's heap, for tests and demos. Thread-safe. */
public final class InMemoryTenantDirectory implements TenantDirectory {
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    /**
     * Adds or replaces a tenant.
     *
     * @param id the tenant's id
     * @param slug its slug
     * @param status its status
     * @return this
     */
    public InMemoryTenantDirectory put(String id, String slug, String status) {
        tenants.put(id, new Tenant(id, slug, status));
        return this;
    }

    @Override
    public Optional<Tenant> find(String tenantId) {
        return Optional.ofNullable(tenants.get(tenantId));
    }

    @Override
    public void applyStatus(String tenantId, String status, TenantStatusChange change) {
        tenants.computeIfPresent(tenantId, (id, t) -> new Tenant(id, t.slug(), status));
    }

    /**
     * @param tenantId a tenant
     * @return its status, or null when unknown
     */
    public @Nullable String statusOf(String tenantId) {
        Tenant t = tenants.get(tenantId);
        return t == null ? null : t.status();
    }

    @Override
    public List<String> idsInStatus(String status, int limit) {
        return tenants.values().stream().filter(t -> t.status().equals(status)).map(Tenant::id).sorted()
                .limit(limit).toList();
    }
}
