package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a dialect leases due jobs so that two concurrent claims never return the same job. Implementations are
 * stateless and thread-safe.
 */
public interface Claimer {

    /**
     * @param c a connection in auto-commit mode
     * @param owner the claiming node
     * @param now the engine's time
     * @param leaseUntil the new leases' expiry
     * @param limit the most jobs to claim
     * @return the claimed jobs as stored, earliest next check first
     * @throws SQLException from the driver
     */
    List<StoredJob> claimDue(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException;

    /**
     * @param c a connection in auto-commit mode
     * @param jobId the job
     * @param owner the claiming node
     * @param now the engine's time
     * @param leaseUntil the lease's expiry
     * @return the claimed job as stored, or empty when unknown, not due or leased
     * @throws SQLException from the driver
     */
    Optional<StoredJob> claim(Connection c, String jobId, String owner, Instant now, Instant leaseUntil)
            throws SQLException;

    /**
     * @param sql the dialect's SQL
     * @param rows the row mapping
     * @return PostgreSQL: {@code UPDATE ... RETURNING} with {@code SKIP LOCKED}; MySQL: {@code SKIP LOCKED} in a
     *     short transaction; H2: version-checked updates
     */
    static Claimer forDialect(JobSql sql, JobRows rows) {
        return switch (sql.dialect()) {
            case POSTGRESQL -> new ReturningClaimer(sql, rows);
            case MYSQL -> new SkipLockedClaimer(sql, rows);
            case H2 -> new VersionedClaimer(sql, rows);
        };
    }
}
