package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes a job only while fewer than a cap of other runs are in flight, in one transaction that first locks the one
 * row of {@link JobSql#RUNS_GUARD} ({@code SELECT ... FOR UPDATE}): every such write, from any node, waits for the
 * one before it to commit, so its count sees every run the others recorded. The same on every dialect: PostgreSQL
 * and H2 count at read-committed, where a statement sees what committed before it started; InnoDB's default
 * repeatable read takes its snapshot at the first plain read of the transaction, which is the count, after the lock.
 * Plain commits do not take the lock (they never add a run in flight). Stateless and thread-safe.
 */
public final class RunsInFlightGuard {
    /** What {@link #commitIfBelow} did. */
    public enum Outcome {
        /** The job and its events were written. */
        WRITTEN,
        /** The cap refused: nothing was written. */
        REFUSED,
        /** The count allowed it, but the version did not match or the job is gone: nothing was written. */
        NOT_WRITTEN
    }

    private final JobSql sql;
    private final JobWriter writer;

    /**
     * @param sql the dialect's SQL
     * @param writer writes the job and its events
     */
    public RunsInFlightGuard(JobSql sql, JobWriter writer) {
        this.sql = sql;
        this.writer = writer;
    }

    /**
     * @param c a connection in auto-commit mode
     * @param stored the job as it is to be stored (with its next version)
     * @param expectedVersion the version it was read with
     * @param events the events to append
     * @param cap the most runs in flight, not counting this job's
     * @return what was done
     * @throws SQLException from the driver, or when the guard row is missing (migration V2 not applied)
     */
    public Outcome commitIfBelow(Connection c, StoredJob stored, long expectedVersion, List<JobEvent> events,
            int cap) throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            try (PreparedStatement ps = tx.prepareStatement(sql.lockRunsGuard()); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the row of " + JobSql.RUNS_GUARD + " is missing: apply the migration "
                            + "V2__runs_in_flight_guard.sql (or JdbcSchemaInitializer)", "55000");
                }
            }
            if (otherRunsInFlight(tx, stored.id()) >= cap) {
                return Outcome.REFUSED;
            }
            return writer.updateInTransaction(tx, stored, expectedVersion, events) ? Outcome.WRITTEN
                    : Outcome.NOT_WRITTEN;
        });
    }

    private long otherRunsInFlight(Connection tx, String jobId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql.countOtherRunsInFlight())) {
            ps.setString(1, JobStatus.IN_PROGRESS.wireName());
            ps.setString(2, JobStatus.QUEUED.wireName());
            ps.setString(3, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
