package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcSchemaInitializer;
import com.dotmac.provisioning.jdbc.support.Pools;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The databases the benchmarks run on: one embedded PostgreSQL server per process (started on first use, durability
 * settings off so that figures measure statements rather than this machine's disk) with a fresh schema per
 * benchmark, and in-memory H2 databases. Each database comes with the library's tables and a {@code tenants} table
 * for {@code JdbcTenantDirectory}. Thread-safe.
 */
public final class Databases implements AutoCloseable {
    /** Connections per pool unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 8;

    private final String h2Settings;
    private @Nullable EmbeddedPostgres postgres;

    /** Databases with H2's default settings. */
    public Databases() {
        this("");
    }

    /**
     * @param h2Settings extra H2 URL settings, e.g. {@code ;QUERY_CACHE_SIZE=64}, or empty
     */
    public Databases(String h2Settings) {
        this.h2Settings = h2Settings;
    }

    /**
     * @param name {@code postgresql} or {@code h2}
     * @return a fresh, empty database with the library's tables and an empty {@code tenants} table
     * @throws IllegalArgumentException for another name
     */
    public BenchDatabase open(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres", "pg" -> postgresSchema();
            case "h2" -> h2();
            default -> throw new IllegalArgumentException("database must be postgresql or h2, not '" + name + "'");
        };
    }

    /** @return a fresh schema on the embedded PostgreSQL server */
    public synchronized BenchDatabase postgresSchema() {
        EmbeddedPostgres server = server();
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server.getPostgresDatabase(), "CREATE SCHEMA " + schema);
        String url = server.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
        return prepared(new BenchDatabase("PostgreSQL " + serverVersion(server.getPostgresDatabase()), url,
                "postgres", null, JdbcDialect.POSTGRESQL, new ServerStatements(server.getPostgresDatabase()),
                () -> execute(server.getPostgresDatabase(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE")));
    }

    /** @return a fresh in-memory H2 database */
    public BenchDatabase h2() {
        String url = "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000" + h2Settings;
        return prepared(new BenchDatabase("H2 " + org.h2.engine.Constants.VERSION + " (in memory"
                + (h2Settings.isEmpty() ? "" : ", " + h2Settings.replaceFirst("^;", "")) + ")", url, "sa", "",
                JdbcDialect.H2, null, () -> shutdownH2(url)));
    }

    private static void shutdownH2(String url) {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            // SHUTDOWN closes the connection under us; the database is gone either way
        }
    }

    private static BenchDatabase prepared(BenchDatabase db) {
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        execute(db.dataSource(), "CREATE TABLE tenants (id VARCHAR(255) PRIMARY KEY, slug VARCHAR(255) NOT NULL, "
                + "status VARCHAR(64) NOT NULL)");
        return db;
    }

    private synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track_planning", "on")
                        .start();
                execute(postgres.getPostgresDatabase(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
        }
        return postgres;
    }

    private static String serverVersion(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "(version unknown)";
        }
    }

    /** Stops the embedded server, if it was started. */
    @Override
    public synchronized void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                // its data directory is temporary; nothing to keep
            }
            postgres = null;
        }
    }

    static HikariDataSource pool(String url, @Nullable String user, @Nullable String password, int size) {
        return Pools.create("bench", url, user, password, size);
    }

    static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run: " + sql, e);
        }
    }

    /**
     * A database for one benchmark: a main pool, more pools on request (one per simulated node), and the
     * {@code tenants} table. {@link #close()} closes the pools and drops the database.
     */
    public static final class BenchDatabase implements AutoCloseable {
        private final String description;
        private final String url;
        private final @Nullable String user;
        private final @Nullable String password;
        private final JdbcDialect dialect;
        private final @Nullable ServerStatements serverStatements;
        private final Runnable drop;
        private final List<HikariDataSource> pools = new ArrayList<>();
        private final HikariDataSource main;

        BenchDatabase(String description, String url, @Nullable String user, @Nullable String password,
                JdbcDialect dialect, @Nullable ServerStatements serverStatements, Runnable drop) {
            this.description = description;
            this.url = url;
            this.user = user;
            this.password = password;
            this.dialect = dialect;
            this.serverStatements = serverStatements;
            this.drop = drop;
            this.main = newPool(DEFAULT_POOL_SIZE);
        }

        /** @return e.g. {@code PostgreSQL 18.1} */
        public String description() {
            return description;
        }

        /** @return the server's own statement statistics (PostgreSQL's pg_stat_statements), or null (H2) */
        public @Nullable ServerStatements serverStatements() {
            return serverStatements;
        }

        /** @return the main pool */
        public DataSource dataSource() {
            return main;
        }

        /** @return the dialect */
        public JdbcDialect dialect() {
            return dialect;
        }

        /**
         * @param size connections
         * @return another pool over the same database, closed with it
         */
        public synchronized HikariDataSource newPool(int size) {
            return newPool(size, url);
        }

        /**
         * A pool that reaches the server at another address (through a proxy), closed with this database.
         *
         * @param size connections
         * @param host the host to connect to instead of the server's
         * @param port the port to connect to instead of the server's
         * @return the pool
         * @throws IllegalStateException for a database without a network address (H2 in memory)
         */
        public synchronized HikariDataSource newPoolVia(int size, String host, int port) {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new IllegalStateException("only a PostgreSQL database is reached over the network: " + url);
            }
            return newPool(size, url.replaceFirst("^jdbc:postgresql://[^/]+/", "jdbc:postgresql://" + host + ":"
                    + port + "/"));
        }

        private HikariDataSource newPool(int size, String poolUrl) {
            HikariDataSource pool = pool(poolUrl, user, password, size);
            pools.add(pool);
            return pool;
        }

        /** @return the server's host and port, e.g. {@code localhost:5432}, or empty (H2 in memory) */
        public String serverAddress() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^jdbc:postgresql://([^/]+)/").matcher(url);
            return m.find() ? m.group(1) : "";
        }

        /**
         * Adds tenants {@code <prefix>0 ... <prefix>(count - 1)} with status {@code pending} (slug = id).
         *
         * @param prefix the id prefix, a DNS label start (lower case letters, digits, hyphens)
         * @param count how many
         * @return their ids
         */
        public List<String> addTenants(String prefix, int count) {
            List<String> ids = new ArrayList<>(count);
            try (Connection c = main.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO tenants (id, slug, status) VALUES (?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    String id = prefix + i;
                    ids.add(id);
                    ps.setString(1, id);
                    ps.setString(2, id);
                    ps.setString(3, "pending");
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            } catch (SQLException e) {
                throw new IllegalStateException("could not add tenants", e);
            }
            return ids;
        }

        /**
         * Runs one statement on the main pool (seeding: not for statements a benchmark counts).
         *
         * @param sql a statement without parameters
         * @return the rows it changed
         */
        public int execute(String sql) {
            try (Connection c = main.getConnection(); Statement st = c.createStatement()) {
                return st.executeUpdate(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("could not run: " + sql, e);
            }
        }

        /**
         * @param sql a query returning one number
         * @return the number
         */
        public long count(String sql) {
            try (Connection c = main.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException("could not run: " + sql, e);
            }
        }

        @Override
        public synchronized void close() {
            pools.forEach(HikariDataSource::close);
            pools.clear();
            drop.run();
        }
    }
}
