package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.testkit.TenantDirectoryContract;

/** {@link InMemoryTenantDirectory} passes the tenant directory contract. */
class InMemoryTenantDirectoryTest extends TenantDirectoryContract {
    private final InMemoryTenantDirectory directory = new InMemoryTenantDirectory();

    @Override
    protected boolean mustSelectByStatus() {
        return true;
    }

    @Override
    protected TenantDirectory directory() {
        return directory;
    }

    @Override
    protected void addTenant(String id, String slug, String status) {
        directory.put(id, slug, status);
    }
}
