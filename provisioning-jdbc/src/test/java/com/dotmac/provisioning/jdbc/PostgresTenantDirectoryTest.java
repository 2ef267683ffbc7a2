package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantStatusChange;
import org.junit.jupiter.api.Test;

/** {@link JdbcTenantDirectory} on embedded PostgreSQL, plus PostgreSQL's {@code uuid} ids. */
class PostgresTenantDirectoryTest extends JdbcTenantDirectoryContract {
    @Override
    protected TestDatabase open() {
        return EmbeddedPostgresDatabases.newSchema();
    }

    @Test
    void textIdsAreCaseSensitiveHere() {
        insert("acme", "acme", "pending");
        assertThat(directory.find("ACME")).isEmpty();
    }

    @Test
    void uuidIdColumns() {
        String id = "5f0c7c1e-8a51-4c52-9a53-6f1f3d2b9e10";
        db.execute("CREATE TABLE uuid_tenants (id UUID PRIMARY KEY, slug TEXT, status TEXT)",
                "INSERT INTO uuid_tenants VALUES ('" + id + "', 'uu', 'pending')");
        JdbcTenantDirectory uuids = JdbcTenantDirectory.builder(db.dataSource()).table("uuid_tenants")
                .idType(JdbcTenantDirectory.IdType.UUID).build();

        assertThat(uuids.find(id.toUpperCase())).contains(new Tenant(id, "uu", "pending"));
        assertThat(uuids.find("not-a-uuid")).isEmpty();
        uuids.applyStatus(id, "provisioned", new TenantStatusChange("j", Operation.PROVISION, JobStatus.SUCCEEDED));
        assertThat(uuids.find(id)).map(Tenant::status).contains("provisioned");
    }

    @Test
    void uuidIdsAreFoundTogetherUnderTheIdsAsked() {
        String id = "5f0c7c1e-8a51-4c52-9a53-6f1f3d2b9e10";
        db.execute("CREATE TABLE uuid_tenants (id UUID PRIMARY KEY, slug TEXT, status TEXT)",
                "INSERT INTO uuid_tenants VALUES ('" + id + "', 'uu', 'active')");
        JdbcTenantDirectory uuids = JdbcTenantDirectory.builder(db.dataSource()).table("uuid_tenants")
                .idType(JdbcTenantDirectory.IdType.UUID).build();

        assertThat(uuids.findAll(java.util.List.of(id.toUpperCase(), "not-a-uuid")))
                .containsOnlyKeys(id.toUpperCase()).containsEntry(id.toUpperCase(), new Tenant(id, "uu", "active"));
        assertThat(uuids.idsInStatus("active", 10)).containsExactly(id);
    }
}
