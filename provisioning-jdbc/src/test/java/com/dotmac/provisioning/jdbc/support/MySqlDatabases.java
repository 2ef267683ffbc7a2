package com.dotmac.provisioning.jdbc.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcSchemaInitializer;
import org.jspecify.annotations.Nullable;

/**
 * A MySQL 8 / MariaDB 10.6+ database for the tests that need one. The server is the one the environment (or system
 * properties) names with {@value #URL_VARIABLE}; without one, a {@link LocalMariaDb} started from the MariaDB
 * binaries installed on this machine, where every call gets a fresh database of its own. With neither, those tests
 * are skipped with a message saying how to run them, or fail when {@value #REQUIRE_VARIABLE} is {@code true} (CI).
 *
 * <p>Thread-safe.
 */
public final class MySqlDatabases {
    /** Environment variable (or system property {@code provisioning.test.mysql.url}) with the JDBC URL. */
    public static final String URL_VARIABLE = "PROVISIONING_TEST_MYSQL_URL";
    /** Environment variable (or system property {@code provisioning.test.mysql.user}) with the user. */
    public static final String USER_VARIABLE = "PROVISIONING_TEST_MYSQL_USER";
    /** Environment variable (or system property {@code provisioning.test.mysql.password}) with the password. */
    public static final String PASSWORD_VARIABLE = "PROVISIONING_TEST_MYSQL_PASSWORD";
    /**
     * Environment variable (or system property {@code provisioning.require.mysql}): {@code true} makes a missing
     * server fail the MySQL tests instead of skipping them.
     */
    public static final String REQUIRE_VARIABLE = "PROVISIONING_REQUIRE_MYSQL";

    private static final String SKIPPED = "no MySQL/MariaDB server: the MySQL tests are skipped. ";
    private static final String HOW_TO_RUN = "To run them, install MariaDB (Debian: apt-get install "
            + "mariadb-server; the tests start mariadbd themselves, no service needed; or name the binary with "
            + LocalMariaDb.MARIADBD_VARIABLE + "), or give an empty utf8mb4 database that the user may create "
            + "tables in: PROVISIONING_TEST_MYSQL_URL="
            + "jdbc:mysql://127.0.0.1:3306/provisioning_test (MySQL 8) or jdbc:mariadb://... (MariaDB 10.6+, with "
            + "the MariaDB driver) PROVISIONING_TEST_MYSQL_USER=... "
            + "PROVISIONING_TEST_MYSQL_PASSWORD=... mvn -pl provisioning-jdbc verify (or the system properties "
            + "provisioning.test.mysql.url/.user/.password). " + REQUIRE_VARIABLE + "=true makes this a failure.";

    private MySqlDatabases() {
    }

    /**
     * Skips the calling test unless a server is configured or MariaDB is installed.
     *
     * @throws IllegalStateException instead of skipping, when {@value #REQUIRE_VARIABLE} is {@code true}
     */
    public static void assumeConfigured() {
        boolean available = configuredUrl() != null || LocalMariaDb.installed();
        if (!available && "true".equalsIgnoreCase(setting(REQUIRE_VARIABLE, "provisioning.require.mysql"))) {
            throw new IllegalStateException(REQUIRE_VARIABLE + "=true but there is no MySQL/MariaDB server. "
                    + HOW_TO_RUN);
        }
        assumeTrue(available, SKIPPED + HOW_TO_RUN);
    }

    /** @return a database with the job tables (created by {@link JdbcSchemaInitializer}), all empty */
    public static TestDatabase emptied() {
        TestDatabase db = newDatabase();
        new JdbcSchemaInitializer(db.dataSource(), JdbcDialect.MYSQL).initialize();
        db.execute("DELETE FROM tenant_provisioning_job_events", "DELETE FROM tenant_provisioning_jobs",
                "DELETE FROM tenant_provisioning_outbox", "DELETE FROM tenant_provisioning_webhook_delivery");
        return db;
    }

    /**
     * @return a database without the job tables: a fresh one on the local MariaDB, or the configured one with the
     *     tables of the library and of the tests dropped
     */
    public static TestDatabase newDatabase() {
        assumeConfigured();
        String url = configuredUrl();
        if (url == null) {
            LocalMariaDb server = LocalMariaDb.server();
            String name = EmbeddedPostgresDatabases.uniqueName("t");
            return new PooledTestDatabase(server.createDatabase(name), server.user(), server.password(),
                    JdbcDialect.MYSQL, () -> { }, () -> server.dropDatabase(name));
        }
        String user = setting(USER_VARIABLE, "provisioning.test.mysql.user");
        String password = setting(PASSWORD_VARIABLE, "provisioning.test.mysql.password");
        TestDatabase db = new PooledTestDatabase(url, user, password, JdbcDialect.MYSQL, () -> { }, () -> { });
        db.execute("DROP TABLE IF EXISTS tenant_provisioning_rollout_events",
                "DROP TABLE IF EXISTS tenant_provisioning_rollout_members",
                "DROP TABLE IF EXISTS tenant_provisioning_rollouts",
                "DROP TABLE IF EXISTS tenant_provisioning_job_events",
                "DROP TABLE IF EXISTS tenant_provisioning_jobs",
                "DROP TABLE IF EXISTS tenant_provisioning_runs_guard", "DROP TABLE IF EXISTS tenant_provisioning_outbox",
                "DROP TABLE IF EXISTS tenant_provisioning_webhook_delivery",
                "DROP TABLE IF EXISTS tenant_provisioning_schema_history", "DROP TABLE IF EXISTS test_tenants",
                "DROP TABLE IF EXISTS tenants", "DROP TABLE IF EXISTS int_tenants", "DROP TABLE IF EXISTS host_tenants",
                "DROP TABLE IF EXISTS host_credentials", "DROP TABLE IF EXISTS tenant_credentials");
        return db;
    }

    /** @return where the MySQL tests run: the configured URL, or the local MariaDB's version */
    public static String describeServer() {
        assumeConfigured();
        String url = configuredUrl();
        return url != null ? url : "local MariaDB " + LocalMariaDb.server().version();
    }

    private static @Nullable String configuredUrl() {
        return setting(URL_VARIABLE, "provisioning.test.mysql.url");
    }

    private static @Nullable String setting(String variable, String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(variable);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
