package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Retention: deletes finished jobs the engine is done with, oldest first, with their events, in one transaction
 * ({@code JobRepository.purgeFinished}). Portable across the dialects (a {@code DELETE} with a {@code LIMIT} is not):
 * the candidates are selected oldest first with a {@code LIMIT} (locked with {@code FOR UPDATE SKIP LOCKED} on
 * PostgreSQL and MySQL, so purges on several nodes do not wait for each other), then deleted by id with every
 * condition checked again, so a job that changed meanwhile stays. The events go with their job through the
 * {@code ON DELETE CASCADE} foreign key that every shipped schema declares. Stateless and thread-safe.
 */
public final class Purger {
    /** The most ids in one {@code DELETE ... IN (...)}. */
    private static final int CHUNK = 500;
    private static final String TERMINAL = Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal)
            .map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", "));
    /** The conditions of a purgeable job: (finished before, now). */
    private static final String PURGEABLE = "status IN (" + TERMINAL + ") AND finished_at < ?"
            + " AND tenant_status_applied = TRUE AND next_check_at IS NULL AND launch_pending_since IS NULL"
            + " AND (lease_until IS NULL OR lease_until <= ?)";

    private final SqlValues values;
    private final String select;

    /**
     * @param dialect the database's dialect
     * @param values binds instants for it
     */
    public Purger(JdbcDialect dialect, SqlValues values) {
        this.values = values;
        this.select = "SELECT id FROM " + JobSql.JOBS + " WHERE " + PURGEABLE + " ORDER BY finished_at, id LIMIT ?"
                + (dialect == JdbcDialect.H2 ? "" : " FOR UPDATE SKIP LOCKED");
    }

    /**
     * @param c a connection (auto-commit; the purge runs in a transaction of its own)
     * @param finishedBefore jobs that finished at or after this are kept
     * @param now the engine's time, for lease expiry
     * @param limit the most jobs to delete, at least 1
     * @return how many jobs were deleted
     * @throws SQLException from the driver
     */
    public int purge(Connection c, Instant finishedBefore, Instant now, int limit) throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            List<String> ids = candidates(tx, finishedBefore, now, limit);
            int deleted = 0;
            for (int from = 0; from < ids.size(); from += CHUNK) {
                deleted += delete(tx, ids.subList(from, Math.min(ids.size(), from + CHUNK)), finishedBefore, now);
            }
            return deleted;
        });
    }

    private List<String> candidates(Connection c, Instant finishedBefore, Instant now, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select)) {
            values.setInstant(ps, 1, finishedBefore);
            values.setInstant(ps, 2, now);
            ps.setInt(3, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private int delete(Connection c, List<String> ids, Instant finishedBefore, Instant now) throws SQLException {
        String sql = "DELETE FROM " + JobSql.JOBS + " WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(),
                "?")) + ") AND " + PURGEABLE;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String id : ids) {
                ps.setString(i++, id);
            }
            values.setInstant(ps, i++, finishedBefore);
            values.setInstant(ps, i, now);
            return ps.executeUpdate();
        }
    }
}
