package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.SqlIdentifiers;
import com.dotmac.provisioning.jdbc.internal.StatementTimeouts;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's own tenants table as the engine's {@link TenantDirectory}: reads a tenant's id, slug and status, and
 * sets its status. Table and column names are configurable and validated (plain identifiers, the table optionally
 * {@code schema.table}), so configuration cannot inject SQL; tenant ids and statuses are statement parameters.
 *
 * <pre>{@code
 * TenantDirectory tenants = JdbcTenantDirectory.builder(dataSource)
 *         .table("platform.tenants").idColumn("tenant_id")      // defaults: tenants, id, slug, status
 *         .build();
 * }</pre>
 *
 * <p>{@link #applyStatus} is one idempotent {@code UPDATE}. When no row has the tenant's id (the tenant was deleted
 * while its job ran) it logs a WARN and returns normally: there is nothing left to update, and failing would make
 * the engine retry forever. A missing slug or status reads as the empty string (the engine then refuses the
 * request with a clear error). The id column may be text (default), an integer or a UUID ({@link IdType}); an id
 * that does not parse as the column's type finds no tenant.
 *
 * <p>Every statement has a query timeout ({@link Builder#statementTimeout}, by default
 * {@link #DEFAULT_STATEMENT_TIMEOUT}), as in {@link JdbcJobRepository}: the engine reads and writes this table while it
 * works on jobs, so a row the host's own transaction keeps locked delays a job by the timeout, not indefinitely.
 *
 * <p>Thread-safe; borrows a connection per call and holds none between calls.
 */
public final class JdbcTenantDirectory implements TenantDirectory {
    /** Default table: {@code tenants}. */
    public static final String DEFAULT_TABLE = "tenants";
    /** Default id column: {@code id}. */
    public static final String DEFAULT_ID_COLUMN = "id";
    /** Default slug column: {@code slug}. */
    public static final String DEFAULT_SLUG_COLUMN = "slug";
    /** Default status column: {@code status}. */
    public static final String DEFAULT_STATUS_COLUMN = "status";
    /** Default statement timeout: {@link JdbcJobRepository#DEFAULT_STATEMENT_TIMEOUT}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = JdbcJobRepository.DEFAULT_STATEMENT_TIMEOUT;

    private static final Logger log = LoggerFactory.getLogger(JdbcTenantDirectory.class);

    /** The SQL type of the id column, which decides how a tenant id is bound. */
    public enum IdType {
        /** A character column (VARCHAR, TEXT, CHAR): the id is bound as a string. */
        TEXT,
        /** An integer column (INTEGER, BIGINT): the id is bound as a {@code long}. */
        INTEGER,
        /** A UUID column (PostgreSQL {@code uuid}, H2 {@code UUID}): the id is bound as a {@link UUID}. */
        UUID
    }

    private final Jdbc jdbc;
    private final String table;
    private final IdType idType;
    private final String selectSql;
    private final String updateSql;
    private final String existsSql;

    private JdbcTenantDirectory(Builder b) {
        this.jdbc = new Jdbc(b.dataSource, StatementTimeouts.seconds(b.statementTimeout));
        this.table = SqlIdentifiers.table("table", b.table);
        String id = SqlIdentifiers.column("idColumn", b.idColumn);
        String slug = SqlIdentifiers.column("slugColumn", b.slugColumn);
        String status = SqlIdentifiers.column("statusColumn", b.statusColumn);
        this.idType = b.idType;
        this.selectSql = "SELECT " + id + ", " + slug + ", " + status + " FROM " + table + " WHERE " + id + " = ?";
        this.updateSql = "UPDATE " + table + " SET " + status + " = ? WHERE " + id + " = ?";
        this.existsSql = "SELECT 1 FROM " + table + " WHERE " + id + " = ?";
    }

    /**
     * @param dataSource the host's database
     * @return a builder with the defaults ({@code tenants}, {@code id}, {@code slug}, {@code status}, text ids)
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public Optional<Tenant> find(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        Object id = idValue(tenantId);
        if (id == null) {
            return Optional.empty();
        }
        return jdbc.call("read tenant from " + table, c -> {
            try (PreparedStatement ps = c.prepareStatement(selectSql)) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Tenant(rs.getString(1), orEmpty(rs.getString(2)),
                            orEmpty(rs.getString(3))));
                }
            }
        });
    }

    /**
     * {@inheritDoc} A tenant that no longer exists is logged at WARN and skipped.
     *
     * @throws DatabaseAccessException when the database fails (the engine retries later)
     */
    @Override
    public void applyStatus(String tenantId, String status, TenantStatusChange change) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(change, "change");
        Object id = idValue(tenantId);
        boolean applied = id != null && jdbc.call("set the status of a tenant in " + table, c -> update(c, id, status));
        if (!applied) {
            log.warn("tenant {} is not in {}; status '{}' for job {} ({} {}) was not applied", tenantId, table,
                    status, change.jobId(), change.operation().wireName(), change.jobStatus().wireName());
        }
    }

    /** Updates the row; MySQL may report 0 changed rows for an unchanged value, so 0 is checked by a read. */
    private boolean update(Connection c, Object id, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(updateSql)) {
            ps.setString(1, status);
            ps.setObject(2, id);
            if (ps.executeUpdate() > 0) {
                return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(existsSql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private @Nullable Object idValue(String tenantId) {
        try {
            return switch (idType) {
                case TEXT -> tenantId;
                case INTEGER -> Long.parseLong(tenantId);
                case UUID -> java.util.UUID.fromString(tenantId);
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** @return the table; never connection details */
    @Override
    public String toString() {
        return "JdbcTenantDirectory[" + table + "]";
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private String idColumn = DEFAULT_ID_COLUMN;
        private String slugColumn = DEFAULT_SLUG_COLUMN;
        private String statusColumn = DEFAULT_STATUS_COLUMN;
        private IdType idType = IdType.TEXT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * @param v the tenants table, optionally {@code schema.table} (default {@code tenants})
         * @return this
         */
        public Builder table(String v) {
            this.table = v;
            return this;
        }

        /**
         * @param v the id column (default {@code id})
         * @return this
         */
        public Builder idColumn(String v) {
            this.idColumn = v;
            return this;
        }

        /**
         * @param v the slug column (default {@code slug})
         * @return this
         */
        public Builder slugColumn(String v) {
            this.slugColumn = v;
            return this;
        }

        /**
         * @param v the status column (default {@code status})
         * @return this
         */
        public Builder statusColumn(String v) {
            this.statusColumn = v;
            return this;
        }

        /**
         * @param v the id column's type (default {@link IdType#TEXT})
         * @return this
         */
        public Builder idType(IdType v) {
            this.idType = Objects.requireNonNull(v, "idType");
            return this;
        }

        /**
         * @param v the query timeout of every statement, rounded up to whole seconds; zero for none (default
         *     {@link #DEFAULT_STATEMENT_TIMEOUT})
         * @return this
         */
        public Builder statementTimeout(Duration v) {
            this.statementTimeout = Objects.requireNonNull(v, "statementTimeout");
            return this;
        }

        /**
         * @return the directory
         * @throws IllegalArgumentException when the statement timeout is negative, or naming the setting whose table or column name is not a plain identifier
         */
        public JdbcTenantDirectory build() {
            return new JdbcTenantDirectory(this);
        }
    }
}
