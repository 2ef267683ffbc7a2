package com.dotmac.provisioning.jdbc.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcSchemaInitializer;
import org.jspecify.annotations.Nullable;

/**
 * A MySQL 8 / MariaDB 10.6+ server named by the environment (or system properties), for the tests that need one;
 * without it those tests are skipped with a message saying how to run them. The tables are created once (by
 * {@link JdbcSchemaInitializer}) and emptied for every test.
 */
public final class MySqlDatabases {
    /** Environment variable (or system property {@code provisioning.test.mysql.url}) with the JDBC URL. */
    public static final String URL_VARIABLE = "PROVISIONING_TEST_MYSQL_URL";
    /** Environment variable (or system property {@code provisioning.test.mysql.user}) with the user. */
    public static final String USER_VARIABLE = "PROVISIONING_TEST_MYSQL_USER";
    /** Environment variable (or system property {@code provisioning.test.mysql.password}) with the password. */
    public static final String PASSWORD_VARIABLE = "PROVISIONING_TEST_MYSQL_PASSWORD";

    private static final String HOW_TO_RUN = "no MySQL/MariaDB server configured: the MySQL tests are skipped. To run "
            + "them, give an empty database that the user may create tables in: PROVISIONING_TEST_MYSQL_URL="
            + "jdbc:mysql://127.0.0.1:3306/provisioning_test (MySQL 8) or jdbc:mariadb://... (MariaDB 10.6+, with "
            + "the MariaDB driver) PROVISIONING_TEST_MYSQL_USER=... "
            + "PROVISIONING_TEST_MYSQL_PASSWORD=... mvn -pl provisioning-jdbc verify (or the system properties "
            + "provisioning.test.mysql.url/.user/.password)";

    private MySqlDatabases() {
    }

    /** Skips the calling test class unless a server is configured. */
    public static void assumeConfigured() {
        assumeTrue(setting(URL_VARIABLE, "provisioning.test.mysql.url") != null, HOW_TO_RUN);
    }

    /** @return the configured database with empty job tables (the tenant tables of the tests dropped) */
    public static TestDatabase emptied() {
        assumeConfigured();
        String url = String.valueOf(setting(URL_VARIABLE, "provisioning.test.mysql.url"));
        String user = setting(USER_VARIABLE, "provisioning.test.mysql.user");
        String password = setting(PASSWORD_VARIABLE, "provisioning.test.mysql.password");
        TestDatabase db = new PooledTestDatabase(url, user, password, JdbcDialect.MYSQL, () -> { }, () -> { });
        new JdbcSchemaInitializer(db.dataSource(), JdbcDialect.MYSQL).initialize();
        db.execute("DELETE FROM tenant_provisioning_job_events", "DELETE FROM tenant_provisioning_jobs",
                "DROP TABLE IF EXISTS test_tenants",
                "DROP TABLE IF EXISTS tenants", "DROP TABLE IF EXISTS int_tenants", "DROP TABLE IF EXISTS host_tenants");
        return db;
    }

    private static @Nullable String setting(String variable, String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(variable);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
