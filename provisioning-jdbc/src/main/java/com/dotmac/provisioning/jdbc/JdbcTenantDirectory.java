package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.SqlIdentifiers;
import com.dotmac.provisioning.jdbc.internal.StatementTimeouts;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.spi.TenantStatusUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>For rollouts, {@link #findAll} reads many tenants with one {@code SELECT ... WHERE id IN (...)} per
 * {@value #BATCH} ids, and {@link #idsInStatus} selects the ids of the tenants in one status, ordered by id, with
 * {@code LIMIT ?} (PostgreSQL, H2, MySQL, MariaDB) or the standard {@code FETCH FIRST ? ROWS ONLY} (other
 * databases), chosen from the connection's metadata.
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

    /** The most ids one {@link #findAll} statement lists. */
    public static final int BATCH = 500;

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
    private final String selectIn;
    private final String idsInStatus;
    private volatile @Nullable Boolean limitClause;

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
        this.selectIn = "SELECT " + id + ", " + slug + ", " + status + " FROM " + table + " WHERE " + id + " IN (";
        this.idsInStatus = "SELECT " + id + " FROM " + table + " WHERE " + status + " = ? ORDER BY " + id;
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
     * {@inheritDoc} One statement per {@value #BATCH} distinct ids, on one connection; ids that do not parse as the
     * id column's type find nothing. Each tenant is reported as {@link #find} reports it, under the id asked for.
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public Map<String, Tenant> findAll(Collection<String> tenantIds) {
        Map<Object, List<String>> asked = new LinkedHashMap<>();
        for (String tenantId : new LinkedHashSet<>(tenantIds)) {
            Object id = idValue(Objects.requireNonNull(tenantId, "tenantId"));
            if (id != null) {
                asked.computeIfAbsent(id, k -> new ArrayList<>()).add(tenantId);
            }
        }
        if (asked.isEmpty()) {
            return Map.of();
        }
        List<Object> ids = List.copyOf(asked.keySet());
        Map<String, Tenant> found = new LinkedHashMap<>();
        jdbc.call("read " + ids.size() + " tenant(s) from " + table, c -> {
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<Object> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
                readBatch(c, batch, asked, found);
            }
            return found;
        });
        return found;
    }

    private void readBatch(Connection c, List<Object> batch, Map<Object, List<String>> asked,
            Map<String, Tenant> found) throws SQLException {
        Map<String, List<String>> caseless = new HashMap<>();
        if (idType == IdType.TEXT) {
            for (Object id : batch) {
                caseless.computeIfAbsent(((String) id).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .addAll(asked.get(id));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(selectIn + String.join(", ",
                Collections.nCopies(batch.size(), "?")) + ")")) {
            for (int i = 0; i < batch.size(); i++) {
                ps.setObject(i + 1, batch.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String rowId = rs.getString(1);
                    Tenant tenant = new Tenant(rowId, orEmpty(rs.getString(2)), orEmpty(rs.getString(3)));
                    List<String> askedAs = rowId == null ? null : asked.get(idValue(rowId));
                    if (askedAs == null && rowId != null) {
                        // a case-insensitive collation (MySQL's defaults) matched an id that differs in case
                        askedAs = caseless.get(rowId.toLowerCase(Locale.ROOT));
                    }
                    if (askedAs != null) {
                        askedAs.forEach(id -> found.put(id, tenant));
                    }
                }
            }
        }
    }

    /**
     * {@inheritDoc} Ordered by id (as the database orders the id column: numerically for integer ids).
     *
     * @throws IllegalArgumentException when {@code limit} is below 1
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public List<String> idsInStatus(String status, int limit) {
        Objects.requireNonNull(status, "status");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return jdbc.call("select tenants by status from " + table, c -> {
            String query = idsInStatus + (usesLimit(c) ? " LIMIT ?" : " FETCH FIRST ? ROWS ONLY");
            try (PreparedStatement ps = c.prepareStatement(query)) {
                ps.setString(1, status);
                ps.setInt(2, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /** @return whether the database takes {@code LIMIT ?}; asked of the connection's metadata once */
    private boolean usesLimit(Connection c) throws SQLException {
        Boolean known = limitClause;
        if (known == null) {
            String product = String.valueOf(c.getMetaData().getDatabaseProductName()).toLowerCase(Locale.ROOT);
            known = product.contains("postgresql") || product.equals("h2") || product.contains("mysql")
                    || product.contains("mariadb");
            limitClause = known;
        }
        return known;
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

    /**
     * {@inheritDoc} Two updates or more are one JDBC batch of the same {@code UPDATE}; an update that changed no row
     * (a tenant that no longer exists, or MySQL's unchanged value) is then done again by {@link #applyStatus}, which
     * tells the two apart. When the batch fails, each update is done by {@link #applyStatus} (they are idempotent).
     */
    @Override
    public Map<String, RuntimeException> applyStatuses(List<TenantStatusUpdate> updates) {
        List<TenantStatusUpdate> batch = updates.stream().filter(u -> idValue(u.tenantId()) != null).toList();
        if (batch.size() < 2) {
            return TenantDirectory.super.applyStatuses(updates);
        }
        int[] counts;
        try {
            counts = jdbc.call("set the statuses of " + batch.size() + " tenants in " + table, c -> {
                try (PreparedStatement ps = c.prepareStatement(updateSql)) {
                    for (TenantStatusUpdate u : batch) {
                        ps.setString(1, u.status());
                        ps.setObject(2, Objects.requireNonNull(idValue(u.tenantId()), "filtered"));
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                }
            });
        } catch (RuntimeException e) {
            return TenantDirectory.super.applyStatuses(updates);
        }
        List<TenantStatusUpdate> again = new ArrayList<>(updates.stream().filter(u -> !batch.contains(u)).toList());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                again.add(batch.get(i));
            }
        }
        return TenantDirectory.super.applyStatuses(again);
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
