package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL: one {@code UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...} per claim, so a
 * claim is a single statement round trip; rows other claimers have locked are skipped, and rows they have just
 * leased no longer match when re-checked. Stateless and thread-safe.
 */
final class ReturningClaimer implements Claimer {
    private static final Comparator<StoredJob> EARLIEST_FIRST = Comparator
            .comparing((StoredJob s) -> s.nextCheckAt(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(StoredJob::id);

    private final JobSql sql;
    private final JobRows rows;

    ReturningClaimer(JobSql sql, JobRows rows) {
        this.sql = sql;
        this.rows = rows;
    }

    @Override
    public List<StoredJob> claimDue(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.claimDueReturning())) {
            int i = bindLease(ps, owner, leaseUntil);
            i = rows.values().bindDue(ps, i, now);
            ps.setInt(i, limit);
            List<StoredJob> claimed = rows.readAll(ps);
            claimed.sort(EARLIEST_FIRST);
            return claimed;
        }
    }

    @Override
    public Optional<StoredJob> claim(Connection c, String jobId, String owner, Instant now, Instant leaseUntil)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.claimOneReturning())) {
            int i = bindLease(ps, owner, leaseUntil);
            ps.setString(i++, jobId);
            rows.values().bindDue(ps, i, now);
            return rows.readAll(ps).stream().findFirst();
        }
    }

    private int bindLease(PreparedStatement ps, String owner, Instant leaseUntil) throws SQLException {
        ps.setString(1, owner);
        rows.values().setInstant(ps, 2, leaseUntil);
        return 3;
    }
}
