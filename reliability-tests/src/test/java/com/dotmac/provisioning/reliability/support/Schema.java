package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcSchemaInitializer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL schema of one test: its URL, HikariCP pools (closed with the schema), the library's tables, a host
 * tenants table, and small query helpers. Closing it drops the schema. Thread-safe.
 */
public final class Schema implements AutoCloseable {
    /** The host's tenants table the tests use with {@code JdbcTenantDirectory}. */
    public static final String TENANTS_DDL = "CREATE TABLE IF NOT EXISTS tenants (id VARCHAR(64) PRIMARY KEY, "
            + "slug VARCHAR(63) NOT NULL, status VARCHAR(40) NOT NULL)";

    private final String name;
    private final String url;
    private final Runnable drop;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final DataSource main;

    Schema(String name, String url, Runnable drop) {
        this.name = name;
        this.url = url;
        this.drop = drop;
        this.main = newPool("main-" + name, 4);
    }

    /** @return the schema's name */
    public String name() {
        return name;
    }

    /** @return a JDBC URL whose connections use this schema (user and password included) */
    public String url() {
        return url;
    }

    /** @return the test's own pool */
    public DataSource dataSource() {
        return main;
    }

    /**
     * @param poolName the pool's name in logs
     * @param size the most connections
     * @return a new pool of its own (an engine's), closed with the schema
     */
    public synchronized DataSource newPool(String poolName, int size) {
        return newPool(poolName, size, Duration.ofSeconds(30));
    }

    /**
     * @param poolName the pool's name in logs
     * @param size the most connections
     * @param connectionTimeout how long a caller waits for a connection before the pool gives up (short for a
     *     test in which the server is stopped: calls then fail fast)
     * @return a new pool of its own (an engine's), closed with the schema
     */
    public synchronized DataSource newPool(String poolName, int size, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        HikariDataSource ds = new HikariDataSource(config);
        pools.add(ds);
        return ds;
    }

    /** @return this, with the library's tables and the host's tenants table */
    public Schema withTables() {
        new JdbcSchemaInitializer(main, JdbcDialect.POSTGRESQL).initialize();
        update(TENANTS_DDL);
        return this;
    }

    /**
     * @param id a tenant id (also its slug)
     * @param status its status
     */
    public void insertTenant(String id, String status) {
        update("INSERT INTO tenants (id, slug, status) VALUES (?, ?, ?)", id, id, status);
    }

    /** @param id a tenant @return its status */
    public String tenantStatus(String id) {
        return String.valueOf(rows("SELECT status FROM tenants WHERE id = ?", id).get(0).get("status"));
    }

    /** @return every tenant's status by id */
    public Map<String, String> tenantStatuses() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map<String, @Nullable Object> row : rows("SELECT id, status FROM tenants ORDER BY id")) {
            result.put(String.valueOf(row.get("id")), String.valueOf(row.get("status")));
        }
        return result;
    }

    /**
     * @param sql a statement with {@code ?} parameters
     * @param args the parameters
     * @return rows changed
     */
    public int update(String sql, Object... args) {
        try (Connection c = main.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }

    /**
     * @param sql a query returning one number
     * @param args the parameters
     * @return the number
     */
    public long scalar(String sql, Object... args) {
        Object value = rows(sql, args).get(0).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    /**
     * @param sql a query
     * @param args the parameters
     * @return its rows, columns by lower-case label, in order
     */
    public List<Map<String, @Nullable Object>> rows(String sql, Object... args) {
        try (Connection c = main.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, @Nullable Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, @Nullable Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }

    /**
     * @param jobId a job
     * @return its timeline as stored, one event per line, for failure messages
     */
    public String timeline(String jobId) {
        StringBuilder text = new StringBuilder("timeline of job " + jobId + ":");
        rows("SELECT at, type, message, data FROM tenant_provisioning_job_events WHERE job_id = ? ORDER BY id", jobId)
                .forEach(e -> text.append("\n  ").append(e.get("at")).append(' ').append(e.get("type")).append(' ')
                        .append(e.get("message")).append(' ').append(e.get("data")));
        return text.toString();
    }

    /**
     * Reads every column of every row of every table in the schema as text (PostgreSQL's own text form, e.g. jsonb
     * as JSON), for secret scans.
     *
     * @return "table.column: value" for every non-null value
     */
    public List<String> everyValue() {
        List<String> values = new ArrayList<>();
        List<Map<String, @Nullable Object>> columns = rows("SELECT table_name, column_name FROM "
                + "information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position", name);
        for (Map<String, @Nullable Object> column : columns) {
            String table = String.valueOf(column.get("table_name"));
            String col = String.valueOf(column.get("column_name"));
            for (Map<String, @Nullable Object> row : rows("SELECT CAST(\"" + col + "\" AS TEXT) AS v FROM \"" + table
                    + "\" WHERE \"" + col + "\" IS NOT NULL")) {
                values.add(table + "." + col + ": " + row.get("v"));
            }
        }
        return values;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        drop.run();
    }
}
