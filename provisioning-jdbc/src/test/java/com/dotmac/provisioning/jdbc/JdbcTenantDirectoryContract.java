package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.jdbc.support.CountingDataSource;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.testkit.TenantDirectoryContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcTenantDirectory} must do on every database: the testkit's {@link TenantDirectoryContract} plus the
 * JDBC specifics. Each subclass gives an empty database. The tenants live in a host table whose name and columns
 * differ from the defaults, except in {@link #defaultNames()}.
 */
abstract class JdbcTenantDirectoryContract extends TenantDirectoryContract {
    private static final TenantStatusChange CHANGE = new TenantStatusChange("job-1", Operation.PROVISION,
            JobStatus.SUCCEEDED);
    /** Text that breaks naive SQL in every dialect. */
    static final String NASTY = "x'); DROP TABLE test_tenants; -- \\ \" ` % _ ? $1 :p ; 日本 🚀";

    protected TestDatabase db;
    protected JdbcTenantDirectory directory;

    /** @return an empty database for one test */
    protected abstract TestDatabase open();

    @BeforeEach
    void createHostTable() {
        db = open();
        db.execute("CREATE TABLE test_tenants (tenant_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                + "dns_slug VARCHAR(255), lifecycle_status VARCHAR(255))");
        directory = JdbcTenantDirectory.builder(db.dataSource())
                .table("test_tenants").idColumn("tenant_key").slugColumn("dns_slug").statusColumn("lifecycle_status")
                .build();
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void findReadsIdSlugAndStatusFromTheConfiguredColumns() {
        insert("acme", "acme-corp", "pending");
        assertThat(directory.find("acme")).contains(new Tenant("acme", "acme-corp", "pending"));
        assertThat(directory.find("unknown")).isEmpty();
    }

    /** Ids compare as the host's column does (MySQL's default collations ignore case; PostgreSQL's do not). */
    @Test
    void tenantIdsAreValuesNotPatterns() {
        insert("acme", "acme", "pending");
        assertThat(directory.find("acm%")).isEmpty();
        assertThat(directory.find("acm_")).isEmpty();
        assertThat(directory.find("' OR ''='")).isEmpty();
    }

    @Test
    void applyStatusChangesOnlyThatTenantAndIsIdempotent() {
        insert("a", "a", "pending");
        insert("b", "b", "pending");

        directory.applyStatus("a", "provisioning", CHANGE);
        directory.applyStatus("a", "provisioned", CHANGE);
        directory.applyStatus("a", "provisioned", CHANGE);

        assertThat(statuses()).containsEntry("a", "provisioned").containsEntry("b", "pending").hasSize(2);
    }

    @Test
    void applyStatusOfAMissingTenantIsANoOp() {
        insert("a", "a", "pending");
        directory.applyStatus("gone", "provisioned", CHANGE);
        assertThat(statuses()).containsExactly(Map.entry("a", "pending"));
    }

    @Test
    void sqlMetacharactersInIdsAndStatusesAreStoredVerbatimAndHarmlessly() {
        insert(NASTY, "nasty", "pending");
        insert("bystander", "bystander", "active");

        assertThat(directory.find(NASTY)).contains(new Tenant(NASTY, "nasty", "pending"));
        directory.applyStatus(NASTY, NASTY, CHANGE);

        assertThat(statuses()).containsEntry(NASTY, NASTY).containsEntry("bystander", "active").hasSize(2);
        assertThat(directory.find("x' OR '1'='1")).isEmpty();
    }

    @Test
    void aMissingSlugOrStatusReadsAsEmpty() {
        insert("blank", null, null);
        assertThat(directory.find("blank")).contains(new Tenant("blank", "", ""));
    }

    @Test
    void defaultNames() {
        db.execute("CREATE TABLE tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))",
                "INSERT INTO tenants (id, slug, status) VALUES ('t1', 't-one', 'active')");
        JdbcTenantDirectory defaults = JdbcTenantDirectory.builder(db.dataSource()).build();

        assertThat(defaults.find("t1")).contains(new Tenant("t1", "t-one", "active"));
        defaults.applyStatus("t1", "upgrading", CHANGE);
        assertThat(defaults.find("t1")).map(Tenant::status).contains("upgrading");
        assertThat(defaults).hasToString("JdbcTenantDirectory[tenants]");
    }

    @Test
    void integerIdColumns() {
        db.execute("CREATE TABLE int_tenants (id BIGINT PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))",
                "INSERT INTO int_tenants (id, slug, status) VALUES (42, 'forty-two', 'pending')");
        JdbcTenantDirectory ints = JdbcTenantDirectory.builder(db.dataSource()).table("int_tenants")
                .idType(JdbcTenantDirectory.IdType.INTEGER).build();

        assertThat(ints.find("42")).contains(new Tenant("42", "forty-two", "pending"));
        assertThat(ints.find("not-a-number")).isEmpty();
        ints.applyStatus("42", "provisioning", CHANGE);
        ints.applyStatus("not-a-number", "provisioning", CHANGE);
        assertThat(ints.find("42")).map(Tenant::status).contains("provisioning");
    }

    /** More ids than one statement lists: one statement per 500, on one connection; unknown ids are absent. */
    @Test
    void findAllReadsManyTenantsInOneStatementPerFiveHundred() {
        List<String> ids = new ArrayList<>();
        insertMany(1_200, "active", ids);
        List<String> asked = new ArrayList<>(ids);
        asked.add("unknown-1");
        asked.add("unknown-2");
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        JdbcTenantDirectory counted = JdbcTenantDirectory.builder(counting).table("test_tenants")
                .idColumn("tenant_key").slugColumn("dns_slug").statusColumn("lifecycle_status").build();

        Map<String, Tenant> found = counted.findAll(asked);

        assertThat(found).hasSize(1_200).containsEntry(ids.get(700), new Tenant(ids.get(700), "s-700", "active"));
        assertThat(counting.statements()).isEqualTo(3);
        assertThat(counting.connections()).isEqualTo(1);
    }

    @Test
    void idsInStatusAreOrderedByIdAndLimited() {
        List<String> ids = new ArrayList<>();
        insertMany(30, "provisioned", ids);
        insert("other", "other", "pending");

        assertThat(directory.idsInStatus("provisioned", 1_000)).containsExactlyElementsOf(ids.stream().sorted()
                .toList());
        assertThat(directory.idsInStatus("provisioned", 5)).containsExactlyElementsOf(ids.stream().sorted()
                .limit(5).toList());
        assertThat(directory.idsInStatus("nobody", 5)).isEmpty();
    }

    @Test
    void integerIdsAreFoundTogetherAndSelectedInNumericOrder() {
        db.execute("CREATE TABLE int_tenants (id BIGINT PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))",
                "INSERT INTO int_tenants (id, slug, status) VALUES (42, 'forty-two', 'active')",
                "INSERT INTO int_tenants (id, slug, status) VALUES (7, 'seven', 'active')",
                "INSERT INTO int_tenants (id, slug, status) VALUES (100, 'hundred', 'active')");
        JdbcTenantDirectory ints = JdbcTenantDirectory.builder(db.dataSource()).table("int_tenants")
                .idType(JdbcTenantDirectory.IdType.INTEGER).build();

        assertThat(ints.findAll(List.of("42", "not-a-number", "8"))).containsOnlyKeys("42")
                .containsEntry("42", new Tenant("42", "forty-two", "active"));
        assertThat(ints.idsInStatus("active", 10)).containsExactly("7", "42", "100");
    }

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
        insert(id, slug, status);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    void insert(String id, @Nullable String slug, @Nullable String status) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO test_tenants (tenant_key, dns_slug, lifecycle_status) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, slug);
            ps.setString(3, status);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts {@code count} tenants {@code m-0000..} (slugs {@code s-0..}) in one batch, adding their ids. */
    void insertMany(int count, String status, List<String> ids) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO test_tenants (tenant_key, dns_slug, lifecycle_status) VALUES (?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                String id = String.format(java.util.Locale.ROOT, "m-%04d", i);
                ids.add(id);
                ps.setString(1, id);
                ps.setString(2, "s-" + i);
                ps.setString(3, status);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> statuses() {
        return statuses(db.dataSource());
    }

    static Map<String, String> statuses(DataSource ds) {
        Map<String, String> result = new LinkedHashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT tenant_key, lifecycle_status FROM test_tenants ORDER BY tenant_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }
}
