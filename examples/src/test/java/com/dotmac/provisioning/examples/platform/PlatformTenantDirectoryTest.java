package com.dotmac.provisioning.examples.platform;

import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.testkit.TenantDirectoryContract;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

/**
 * The example platform's tenant directory passes the testkit's contract: its own {@code tenants} table
 * ({@code schema.sql}) read as the starter reads it ({@code provisioning.tenants.table=tenants}), on H2, with tenants
 * added the way {@link TenantController} adds them.
 */
class PlatformTenantDirectoryTest extends TenantDirectoryContract {
    private final EmbeddedDatabase db = new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
            .generateUniqueName(true).addScript("classpath:schema.sql").build();
    private final TenantDirectory tenants = JdbcTenantDirectory.builder(db).table("tenants").build();

    @AfterEach
    void dropDatabase() {
        db.shutdown();
    }

    @Override
    protected TenantDirectory directory() {
        return tenants;
    }

    @Override
    protected void addTenant(String id, String slug, String status) {
        JdbcClient.create(db).sql("INSERT INTO tenants (id, slug, name, status) VALUES (?, ?, ?, ?)")
                .params(id, slug, "Tenant " + slug, status).update();
    }
}
