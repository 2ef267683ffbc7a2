package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.jdbc.internal.SqlScript;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.RolloutFixtures;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The shipped migrations applied by Flyway (with a history table of their own) and by
 * {@link JdbcSchemaInitializer}, which must agree and be safe to repeat. The MySQL tests run on a MariaDB this
 * machine has installed or the configured server ({@link MySqlDatabases}), and are skipped without one.
 */
class SchemaMigrationTest {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

    @Test
    void flywayAppliesThePostgresMigrationAndTheRepositoryWorksOnIt() throws SQLException {
        try (TestDatabase db = EmbeddedPostgresDatabases.newSchema()) {
            MigrateResult result = flyway(db.dataSource(), JdbcDialect.POSTGRESQL).migrate();

            assertThat(result.migrationsExecuted).isEqualTo(JdbcSchemaInitializer.MIGRATIONS.size());
            assertThat(result.targetSchemaVersion).isEqualTo(latestVersion());
            assertWorks(new JdbcJobRepository(db.dataSource()));
            assertThat(new JdbcSchemaInitializer(db.dataSource()).initialize()).isFalse();
            assertThat(flyway(db.dataSource(), JdbcDialect.POSTGRESQL).migrate().migrationsExecuted).isZero();
        }
    }

    @Test
    void flywayAppliesTheMySqlMigrationAndTheRepositoryWorksOnIt() {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            MigrateResult result = flyway(db.dataSource(), JdbcDialect.MYSQL).migrate();

            assertThat(result.migrationsExecuted).isEqualTo(JdbcSchemaInitializer.MIGRATIONS.size());
            assertThat(result.targetSchemaVersion).isEqualTo(latestVersion());
            assertWorks(new JdbcJobRepository(db.dataSource()));
            assertThat(new JdbcSchemaInitializer(db.dataSource()).initialize()).isFalse();
            assertThat(flyway(db.dataSource(), JdbcDialect.MYSQL).migrate().migrationsExecuted).isZero();
        }
    }

    @Test
    void flywayAppliesTheH2Migration() {
        try (TestDatabase db = H2Databases.newDatabase("")) {
            assertThat(flyway(db.dataSource(), JdbcDialect.H2).migrate().migrationsExecuted)
                    .isEqualTo(JdbcSchemaInitializer.MIGRATIONS.size());
            assertWorks(new JdbcJobRepository(db.dataSource()));
        }
    }

    @Test
    void theInitializerCreatesTheSameTablesAsFlyway() throws SQLException {
        try (TestDatabase viaFlyway = EmbeddedPostgresDatabases.newSchema();
             TestDatabase viaInitializer = EmbeddedPostgresDatabases.newSchema()) {
            flyway(viaFlyway.dataSource(), JdbcDialect.POSTGRESQL).migrate();
            new JdbcSchemaInitializer(viaInitializer.dataSource()).initialize();

            assertThat(describe(viaInitializer.dataSource())).isEqualTo(describe(viaFlyway.dataSource()))
                    .contains("tenant_provisioning_jobs.ux_tpj_active_tenant")
                    .contains("tenant_provisioning_jobs.ux_tpj_tenant_idempotency_key")
                    .contains("tenant_provisioning_jobs.ix_tpj_next_check_at");
        }
    }

    @Test
    void theInitializerCreatesTheSameTablesAsFlywayOnMySql() throws SQLException {
        try (TestDatabase viaFlyway = MySqlDatabases.newDatabase();
             TestDatabase viaInitializer = MySqlDatabases.newDatabase()) {
            flyway(viaFlyway.dataSource(), JdbcDialect.MYSQL).migrate();
            new JdbcSchemaInitializer(viaInitializer.dataSource()).initialize();

            assertThat(describeMySql(viaInitializer.dataSource())).isEqualTo(describeMySql(viaFlyway.dataSource()))
                    .contains("tenant_provisioning_jobs.ux_tpj_active_tenant unique 1 active_tenant_id")
                    .contains("tenant_provisioning_jobs.ux_tpj_tenant_idempotency_key unique 2 idempotency_key")
                    .contains("tenant_provisioning_jobs.ix_tpj_next_check_at 1 next_check_at")
                    .contains("tenant_provisioning_jobs.run_started_at datetime YES NULL")
                    .contains("tenant_provisioning_runs_guard.id int NO null");
        }
    }

    @Test
    void theInitializerRunsOnceAndThenLeavesTheTablesAlone() {
        try (TestDatabase db = H2Databases.newDatabase("")) {
            JdbcSchemaInitializer initializer = new JdbcSchemaInitializer(db.dataSource());
            assertThat(initializer.tablesExist()).isFalse();

            assertThat(initializer.initialize()).isTrue();
            JdbcJobRepository repository = new JdbcJobRepository(db.dataSource());
            StoredJob kept = repository.create(StoredJob.newJob(job("kept"), T0), List.of());

            assertThat(initializer.initialize()).isFalse();
            assertThat(initializer.tablesExist()).isTrue();
            assertThat(repository.find(kept.id())).isPresent();
        }
    }

    @Test
    void theInitializerAddsTheRunStartColumnToTablesItCreatedBeforeIt() {
        for (TestDatabase db : List.of(H2Databases.newDatabase(""), EmbeddedPostgresDatabases.newSchema())) {
            try (db) {
                assertUpgradesFromVersionOne(db);
            }
        }
    }

    @Test
    void theInitializerAddsTheRolloutTablesToASchemaMadeBeforeThem() {
        for (TestDatabase db : List.of(H2Databases.newDatabase(""), EmbeddedPostgresDatabases.newSchema())) {
            try (db) {
                assertAddsTheRolloutTables(db);
            }
        }
    }

    @Test
    void theInitializerAddsTheRolloutTablesToASchemaMadeBeforeThemOnMySql() {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            assertAddsTheRolloutTables(db);
        }
    }

    @Test
    void theInitializerAddsTheWebhookDeliveryTableToASchemaMadeBeforeIt() {
        for (TestDatabase db : List.of(H2Databases.newDatabase(""), EmbeddedPostgresDatabases.newSchema())) {
            try (db) {
                assertAddsTheWebhookDeliveryTable(db);
            }
        }
    }

    @Test
    void theInitializerAddsTheWebhookDeliveryTableToASchemaMadeBeforeItOnMySql() {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            assertAddsTheWebhookDeliveryTable(db);
        }
    }

    /** Creates the tables as versions 1 to 6 of the schema did; the initializer must add the webhook delivery table. */
    private static void assertAddsTheWebhookDeliveryTable(TestDatabase db) {
        JdbcDialect dialect = JdbcDialect.detect(db.dataSource());
        for (JdbcSchemaInitializer.Migration m : JdbcSchemaInitializer.MIGRATIONS) {
            if (m.file().compareTo("V7") < 0) {
                SqlScript.load(dialect.migrationLocation() + "/" + m.file()).forEach(db::execute);
            }
        }

        assertThat(new JdbcSchemaInitializer(db.dataSource()).initialize()).as(dialect.name()).isFalse();

        JdbcWebhookDeliveryStore deliveries = new JdbcWebhookDeliveryStore(db.dataSource());
        deliveries.enqueue(new ProvisioningEvent("e-1", "job.queued", "tenant-up", "j-1", null, T0, Map.of()),
                List.of("billing"), T0);
        assertThat(deliveries.countPending()).as(dialect.name()).isEqualTo(1);
        assertThat(new JdbcSchemaInitializer(db.dataSource()).initialize()).isFalse();
    }

    /** Creates the tables as versions 1 to 3 of the schema did; the initializer must add the rollout tables. */
    private static void assertAddsTheRolloutTables(TestDatabase db) {
        JdbcDialect dialect = JdbcDialect.detect(db.dataSource());
        for (JdbcSchemaInitializer.Migration m : JdbcSchemaInitializer.MIGRATIONS) {
            if (m.file().compareTo("V4") < 0) {
                SqlScript.load(dialect.migrationLocation() + "/" + m.file()).forEach(db::execute);
            }
        }

        assertThat(new JdbcSchemaInitializer(db.dataSource()).initialize()).as(dialect.name()).isFalse();

        JdbcRolloutRepository rollouts = new JdbcRolloutRepository(db.dataSource());
        rollouts.create(RolloutFixtures.rollout("r-up", T0), RolloutFixtures.members("r-up", 3), List.of());
        assertThat(rollouts.countMembers("r-up", null)).as(dialect.name())
                .containsEntry(RolloutMemberStatus.WAITING, 3L);
        assertThat(new JdbcSchemaInitializer(db.dataSource()).initialize()).isFalse();
    }

    @Test
    void theInitializerUpgradesTablesItCreatedBeforeOnMySql() {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            assertUpgradesFromVersionOne(db);
            StoredJob created = new JdbcJobRepository(db.dataSource()).create(StoredJob.newJob(job("tenant-cap"), T0),
                    List.of());
            // the guard row of V2 is there: a launch under a cap can be written
            assertThat(new JdbcJobRepository(db.dataSource()).commitIfRunsInFlightBelow(
                    created.withLaunchPendingSince(T0), List.of(), 1)).isPresent();
        }
    }

    @Test
    void theInitializerCompletesAHalfCreatedSchema() {
        try (TestDatabase db = H2Databases.newDatabase("")) {
            JdbcSchemaInitializer initializer = new JdbcSchemaInitializer(db.dataSource());
            db.execute(initializer.statements().get(0));

            assertThat(initializer.tablesExist()).isFalse();
            assertThat(initializer.initialize()).isTrue();
            assertWorks(new JdbcJobRepository(db.dataSource()));
        }
    }

    @Test
    void theInitializerCompletesAHalfCreatedSchemaOnMySql() {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            JdbcSchemaInitializer initializer = new JdbcSchemaInitializer(db.dataSource());
            db.execute(initializer.statements().get(0));

            assertThat(initializer.tablesExist()).isFalse();
            assertThat(initializer.initialize()).isTrue();
            assertWorks(new JdbcJobRepository(db.dataSource()));
        }
    }

    @Test
    void nodesStartingAtOnceAllEndWithOneSchema() throws Exception {
        try (TestDatabase db = EmbeddedPostgresDatabases.newSchema()) {
            assertNodesStartingAtOnceEndWithOneSchema(db);
        }
    }

    @Test
    void nodesStartingAtOnceAllEndWithOneSchemaOnMySql() throws Exception {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            assertNodesStartingAtOnceEndWithOneSchema(db);
        }
    }

    @Test
    void nodesStartingAtOnceAllUpgradeTablesAnEarlierVersionCreatedOnMySql() throws Exception {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            v1Statements(JdbcDialect.MYSQL).forEach(db::execute);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Callable<Boolean>> nodes = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    DataSource own = db.newPool();
                    nodes.add(() -> new JdbcSchemaInitializer(own).initialize());
                }
                for (Future<Boolean> f : pool.invokeAll(nodes)) {
                    assertThat(f.get()).isFalse();
                }
            } finally {
                pool.shutdownNow();
            }
            JdbcJobRepository repository = new JdbcJobRepository(db.dataSource());
            StoredJob created = repository.create(StoredJob.newJob(job("tenant-up").toBuilder()
                    .runStartedAt(T0).build(), T0), List.of());
            assertThat(repository.commitIfRunsInFlightBelow(created.withLaunchPendingSince(T0), List.of(), 1))
                    .isPresent();
            assertThat(repository.find(created.id()).orElseThrow().job().runStartedAt()).isEqualTo(T0);
        }
    }

    private static void assertNodesStartingAtOnceEndWithOneSchema(TestDatabase db) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Boolean>> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                DataSource own = db.newPool();
                nodes.add(() -> new JdbcSchemaInitializer(own).initialize());
            }
            int created = 0;
            for (Future<Boolean> f : pool.invokeAll(nodes)) {
                created += f.get() ? 1 : 0;
            }
            assertThat(created).isBetween(1, 3);
        } finally {
            pool.shutdownNow();
        }
        assertWorks(new JdbcJobRepository(db.dataSource()));
    }

    @Test
    void everyDialectShipsItsMigrationAndTheScriptsSplitIntoStatements() {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            List<String> statements = new JdbcSchemaInitializer(new JdbcDataSource(), dialect).statements();
            assertThat(statements).as(dialect.name()).isNotEmpty()
                    .allSatisfy(s -> assertThat(s).doesNotEndWith(";").doesNotStartWith("--"))
                    .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS tenant_provisioning_jobs"))
                    .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS tenant_provisioning_job_events"));
            assertThat(dialect.flywayLocation()).isEqualTo("classpath:db/migration/tenant-provisioning/"
                    + dialect.name().toLowerCase());
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsWithTheSqlState() {
        JdbcDataSource unreachable = new JdbcDataSource();
        unreachable.setURL("jdbc:h2:mem:nothing-here;IFEXISTS=TRUE");
        assertThatThrownBy(() -> new JdbcSchemaInitializer(unreachable, JdbcDialect.H2).initialize())
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageStartingWith("could not create the tenant provisioning tables (SQLState");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Creates the tables as version 1 of the schema did, with a job in them; the initializer must bring them up. */
    private static void assertUpgradesFromVersionOne(TestDatabase db) {
        JdbcDialect dialect = JdbcDialect.detect(db.dataSource());
        JdbcSchemaInitializer initializer = new JdbcSchemaInitializer(db.dataSource(), dialect);
        // the tables as version 1 of the schema created them, with a job in them
        v1Statements(dialect).forEach(db::execute);
        db.execute("INSERT INTO tenant_provisioning_jobs (id, tenant_id, tenant_slug, operation, "
                + "deployment_mode, status, requested_by, created_at, updated_at, extra_vars, artifacts, "
                + "version) VALUES ('old-job', 'tenant-old', 's', 'provision', 'dotmac_hosted', 'succeeded', "
                + "'test', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '{}', '{}', 1)");

        assertThat(initializer.initialize()).as(dialect.name()).isFalse();
        assertThat(initializer.initialize()).as(dialect.name()).isFalse();

        JdbcJobRepository repository = new JdbcJobRepository(db.dataSource());
        assertThat(repository.find("old-job").orElseThrow().job().runStartedAt()).isNull();
        StoredJob created = repository.create(StoredJob.newJob(job("tenant-new").toBuilder()
                .runStartedAt(T0.plusSeconds(30)).build(), T0), List.of());
        assertThat(repository.find(created.id()).orElseThrow().job().runStartedAt())
                .isEqualTo(T0.plusSeconds(30));
    }

    /** @return the version of the last shipped migration, e.g. {@code 3} */
    private static String latestVersion() {
        String file = JdbcSchemaInitializer.MIGRATIONS.get(JdbcSchemaInitializer.MIGRATIONS.size() - 1).file();
        return file.substring(1, file.indexOf("__"));
    }

    /** @return the first migration's statements alone: the tables as the first version of the schema made them */
    private static List<String> v1Statements(JdbcDialect dialect) {
        return SqlScript.load(dialect.migrationLocation() + "/" + JdbcSchemaInitializer.MIGRATION_FILE);
    }

    private static Flyway flyway(DataSource ds, JdbcDialect dialect) {
        return Flyway.configure().dataSource(ds).locations(dialect.flywayLocation())
                .table("tenant_provisioning_schema_history").load();
    }

    private static ProvisioningJob job(String tenant) {
        return ProvisioningJob.builder(UUID.randomUUID().toString()).tenantId(tenant).tenantSlug("s")
                .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED).status(JobStatus.QUEUED)
                .requestedBy("test").createdAt(T0).updatedAt(T0).build();
    }

    private static void assertWorks(JdbcJobRepository repository) {
        StoredJob created = repository.create(StoredJob.newJob(job("tenant-m"), T0), List.of());
        assertThat(repository.claimDue("n", T0, T0.plusSeconds(60), 10)).extracting(StoredJob::id)
                .containsExactly(created.id());
    }

    /** Columns (name, type, nullability, default) and index columns of the job tables in the current database. */
    private static Set<String> describeMySql(DataSource ds) throws SQLException {
        Set<String> shape = new TreeSet<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT table_name, column_name, data_type, is_nullable, "
                    + "column_default, generation_expression FROM information_schema.columns "
                    + "WHERE table_schema = DATABASE() AND table_name LIKE 'tenant_provisioning_%' "
                    + "AND table_name <> 'tenant_provisioning_schema_history'")) {
                while (rs.next()) {
                    shape.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4) + " " + rs.getString(5) + (rs.getString(6) == null ? ""
                            : " AS " + rs.getString(6)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT table_name, index_name, non_unique, seq_in_index, "
                    + "column_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
                    + "AND table_name LIKE 'tenant_provisioning_%' "
                    + "AND table_name <> 'tenant_provisioning_schema_history'")) {
                while (rs.next()) {
                    shape.add(rs.getString(1) + "." + rs.getString(2) + (rs.getInt(3) == 0 ? " unique " : " ")
                            + rs.getInt(4) + " " + rs.getString(5));
                }
            }
        }
        return shape;
    }

    /** Columns (name, type, nullability) and indexes of the job tables in the connection's schema. */
    private static Set<String> describe(DataSource ds) throws SQLException {
        Set<String> shape = new TreeSet<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT table_name, column_name, data_type, is_nullable, "
                    + "column_default FROM information_schema.columns WHERE table_schema = current_schema() "
                    + "AND table_name LIKE 'tenant_provisioning_job%'")) {
                while (rs.next()) {
                    shape.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4) + " " + rs.getString(5));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT tablename, indexname, indexdef FROM pg_indexes "
                    + "WHERE schemaname = current_schema() AND tablename LIKE 'tenant_provisioning_job%'")) {
                while (rs.next()) {
                    shape.add(rs.getString(1) + "." + rs.getString(2));
                    shape.add(rs.getString(3).replaceAll(" ON \\w+\\.", " ON "));
                }
            }
        }
        return shape;
    }
}
