package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Releases many jobs' leases and sets their next check in as few statements as the dialect allows: one
 * {@code UPDATE ... FROM unnest(ids, versions)} on PostgreSQL; on H2 and MySQL one
 * {@code UPDATE ... WHERE id IN (...) AND (id, version) IN ((?, ?), ...)} per {@link #CHUNK} jobs. A job whose
 * version changed is skipped. Stateless and thread-safe.
 */
public final class Rescheduler {
    /** The most jobs per row-value statement (two parameters each plus the id list). */
    static final int CHUNK = 300;

    private final JobSql sql;
    private final SqlValues values;

    /**
     * @param sql the dialect's SQL
     * @param values the dialect's value conversions
     */
    public Rescheduler(JobSql sql, SqlValues values) {
        this.sql = sql;
        this.values = values;
    }

    /**
     * @param c a connection in auto-commit mode
     * @param jobs the jobs, with the versions they were read with
     * @param nextCheckAt their next check
     * @return how many were written
     * @throws SQLException from the driver
     */
    public int reschedule(Connection c, List<StoredJob> jobs, Instant nextCheckAt) throws SQLException {
        if (jobs.isEmpty()) {
            return 0;
        }
        if (jobs.size() == 1) {
            return one(c, jobs.get(0), nextCheckAt);
        }
        if (sql.dialect() == JdbcDialect.POSTGRESQL) {
            return arrays(c, jobs, nextCheckAt);
        }
        int written = 0;
        for (int from = 0; from < jobs.size(); from += CHUNK) {
            written += rowValues(c, jobs.subList(from, Math.min(jobs.size(), from + CHUNK)), nextCheckAt);
        }
        return written;
    }

    private int one(Connection c, StoredJob s, Instant nextCheckAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.releaseOne())) {
            values.setInstant(ps, 1, nextCheckAt);
            ps.setString(2, s.id());
            ps.setLong(3, s.version());
            return ps.executeUpdate();
        }
    }

    private int arrays(Connection c, List<StoredJob> jobs, Instant nextCheckAt) throws SQLException {
        String[] ids = new String[jobs.size()];
        Long[] versions = new Long[jobs.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = jobs.get(i).id();
            versions[i] = jobs.get(i).version();
        }
        Array idArray = c.createArrayOf("varchar", ids);
        Array versionArray = c.createArrayOf("bigint", versions);
        try (PreparedStatement ps = c.prepareStatement(sql.releaseManyArrays())) {
            values.setInstant(ps, 1, nextCheckAt);
            ps.setArray(2, idArray);
            ps.setArray(3, versionArray);
            return ps.executeUpdate();
        } finally {
            idArray.free();
            versionArray.free();
        }
    }

    private int rowValues(Connection c, List<StoredJob> jobs, Instant nextCheckAt) throws SQLException {
        if (jobs.size() == 1) {
            return one(c, jobs.get(0), nextCheckAt);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.releaseManyRowValues(jobs.size()))) {
            int i = 1;
            values.setInstant(ps, i++, nextCheckAt);
            for (StoredJob s : jobs) {
                ps.setString(i++, s.id());
            }
            for (StoredJob s : jobs) {
                ps.setString(i++, s.id());
                ps.setLong(i++, s.version());
            }
            return ps.executeUpdate();
        }
    }
}
