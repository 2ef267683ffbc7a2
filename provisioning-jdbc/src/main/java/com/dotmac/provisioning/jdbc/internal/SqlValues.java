package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.Map;
import java.util.TimeZone;
import org.jspecify.annotations.Nullable;

/**
 * Binds and reads instants, JSON (through {@link JsonColumns}) and nullable values for one dialect. Instants are
 * stored as UTC whatever the JVM's or the session's time zone: PostgreSQL and H2 get an {@link OffsetDateTime} at UTC
 * for a {@code TIMESTAMP WITH TIME ZONE} column; MySQL gets the UTC wall-clock time as a {@link LocalDateTime} for a
 * {@code DATETIME(6)} column (no driver or session conversion applies to {@code LocalDateTime}). Instants are
 * truncated to microseconds before binding, so no database rounds them. Immutable.
 */
public final class SqlValues {
    /** The precision kept: microseconds. */
    public static final ChronoUnit PRECISION = ChronoUnit.MICROS;

    private final boolean utcLocalDateTime;
    private final boolean postgres;

    /** @param dialect the database's dialect */
    public SqlValues(JdbcDialect dialect) {
        this.utcLocalDateTime = dialect == JdbcDialect.MYSQL;
        this.postgres = dialect == JdbcDialect.POSTGRESQL;
    }

    /**
     * @param t an instant, or null
     * @return it truncated to {@link #PRECISION}
     */
    public static @Nullable Instant truncate(@Nullable Instant t) {
        return t == null ? null : t.truncatedTo(PRECISION);
    }

    /**
     * @param ps a statement
     * @param index the parameter
     * @param t the instant, or null
     * @throws SQLException from the driver
     */
    public void setInstant(PreparedStatement ps, int index, @Nullable Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, utcLocalDateTime ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (utcLocalDateTime) {
            ps.setObject(index, LocalDateTime.ofInstant(t.truncatedTo(PRECISION), ZoneOffset.UTC));
        } else if (postgres) {
            // PgJDBC binds a null timestamp with an unspecified type but an OffsetDateTime as timestamptz; a statement
            // whose parameter types change between executions is parsed and planned again every time. A Timestamp
            // bound with a UTC calendar is also sent with an unspecified type (the column decides), so the types stay
            // the same whatever is null, and the statement stays prepared.
            ps.setTimestamp(index, Timestamp.from(t.truncatedTo(PRECISION)),
                    Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC)));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(t.truncatedTo(PRECISION), ZoneOffset.UTC));
        }
    }

    /**
     * Binds the two parameters of the "due" condition ({@code next_check_at <= ? AND (lease_until IS NULL OR
     * lease_until <= ?)}).
     *
     * @param ps a statement
     * @param first the first of the two parameters
     * @param now the engine's time
     * @return the next parameter index
     * @throws SQLException from the driver
     */
    public int bindDue(PreparedStatement ps, int first, Instant now) throws SQLException {
        setInstant(ps, first, now);
        setInstant(ps, first + 1, now);
        return first + 2;
    }

    /**
     * @param rs a result set
     * @param index the column
     * @return the instant, or null
     * @throws SQLException from the driver
     */
    public @Nullable Instant getInstant(ResultSet rs, int index) throws SQLException {
        if (utcLocalDateTime) {
            LocalDateTime v = rs.getObject(index, LocalDateTime.class);
            return v == null ? null : v.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime v = rs.getObject(index, OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }

    /**
     * @param rs a result set
     * @param index the column
     * @return the instant
     * @throws SQLException from the driver
     * @throws IllegalStateException when the column is null
     */
    public Instant getRequiredInstant(ResultSet rs, int index) throws SQLException {
        Instant t = getInstant(rs, index);
        if (t == null) {
            throw new IllegalStateException("column " + rs.getMetaData().getColumnName(index) + " is null");
        }
        return t;
    }

    /**
     * @param ps a statement
     * @param index the parameter
     * @param v a string, or null
     * @throws SQLException from the driver
     */
    public static void setString(PreparedStatement ps, int index, @Nullable String v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, v);
        }
    }

    /**
     * @param ps a statement
     * @param index the parameter
     * @param v a number, or null
     * @throws SQLException from the driver
     */
    public static void setLong(PreparedStatement ps, int index, @Nullable Long v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, v);
        }
    }

    /**
     * @param rs a result set
     * @param index the column
     * @return the number, or null
     * @throws SQLException from the driver
     */
    public static @Nullable Long getLong(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }

    /**
     * @param value a JSON-shaped map
     * @return its JSON text ({@link JsonColumns#write})
     * @throws IllegalArgumentException when a value is not JSON-shaped
     */
    public static String json(Map<String, ?> value) {
        return JsonColumns.write(value);
    }

    /**
     * @param rs a result set
     * @param index a JSON column
     * @return the object it holds; empty for SQL NULL
     * @throws SQLException from the driver
     * @throws IllegalArgumentException when the column holds something other than a JSON object
     */
    public static Map<String, Object> getJsonObject(ResultSet rs, int index) throws SQLException {
        String text = rs.getString(index);
        return text == null ? Map.of() : JsonColumns.readObject(text);
    }
}
