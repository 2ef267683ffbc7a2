package com.dotmac.provisioning;

import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory tenant directory that remembers every status applied, in order, per tenant, and refuses every status
 * while {@link #refuse} is set (as a directory that is down). Thread-safe.
 */
final class RecordingTenantDirectory implements TenantDirectory {
    /** While set, {@link #applyStatus} throws and records nothing. */
    final AtomicBoolean refuse = new AtomicBoolean();
    private final InMemoryTenantDirectory delegate = new InMemoryTenantDirectory();
    private final Map<String, List<String>> applied = new ConcurrentHashMap<>();

    /** Adds a tenant whose id and slug are {@code id}, in status {@code pending}. */
    void put(String id) {
        delegate.put(id, id, "pending");
    }

    String statusOf(String id) {
        return delegate.statusOf(id);
    }

    /** @return the statuses applied to the tenant, oldest first */
    List<String> applied(String id) {
        return List.copyOf(applied.getOrDefault(id, List.of()));
    }

    @Override
    public Optional<Tenant> find(String tenantId) {
        return delegate.find(tenantId);
    }

    @Override
    public void applyStatus(String tenantId, String status, TenantStatusChange change) {
        if (refuse.get()) {
            throw new IllegalStateException("the directory is down");
        }
        delegate.applyStatus(tenantId, status, change);
        applied.computeIfAbsent(tenantId, k -> new CopyOnWriteArrayList<>()).add(status);
    }
}
