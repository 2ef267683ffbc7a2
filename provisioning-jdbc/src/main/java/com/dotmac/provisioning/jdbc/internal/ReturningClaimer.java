package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
        SqlValues v = rows.values();
        try (PreparedStatement ps = c.prepareStatement(sql.claimDueReturning())) {
            ps.setString(1, owner);
            v.setInstant(ps, 2, leaseUntil);
            v.setInstant(ps, 3, now);
            v.setInstant(ps, 4, now);
            ps.setInt(5, limit);
            List<StoredJob> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rows.read(rs));
                }
            }
            claimed.sort(EARLIEST_FIRST);
            return claimed;
        }
    }

    @Override
    public Optional<StoredJob> claim(Connection c, String jobId, String owner, Instant now, Instant leaseUntil)
            throws SQLException {
        SqlValues v = rows.values();
        try (PreparedStatement ps = c.prepareStatement(sql.claimOneReturning())) {
            ps.setString(1, owner);
            v.setInstant(ps, 2, leaseUntil);
            ps.setString(3, jobId);
            v.setInstant(ps, 4, now);
            v.setInstant(ps, 5, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rows.read(rs)) : Optional.empty();
            }
        }
    }
}
