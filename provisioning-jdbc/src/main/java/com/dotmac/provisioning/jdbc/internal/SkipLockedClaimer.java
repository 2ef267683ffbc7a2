package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * MySQL 8 / MariaDB 10.6+: one short transaction locks the due rows with {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * (rows other claimers hold are skipped) and leases them with one {@code UPDATE ... WHERE id IN (...)}. A single
 * job is claimed with a version-checked update, as {@link VersionedClaimer} does. Stateless and thread-safe.
 */
final class SkipLockedClaimer extends VersionedClaimer {
    private final JobSql sql;
    private final JobRows rows;

    SkipLockedClaimer(JobSql sql, JobRows rows) {
        super(sql, rows);
        this.sql = sql;
        this.rows = rows;
    }

    @Override
    public List<StoredJob> claimDue(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            List<StoredJob> locked = selectDue(tx, sql.selectDueForUpdateSkipLocked(), now, limit);
            if (locked.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = tx.prepareStatement(sql.leaseLocked(locked.size()))) {
                ps.setString(1, owner);
                rows.values().setInstant(ps, 2, leaseUntil);
                int i = 3;
                for (StoredJob s : locked) {
                    ps.setString(i++, s.id());
                }
                ps.executeUpdate();
            }
            return locked.stream().map(s -> leased(s, owner, leaseUntil)).toList();
        });
    }
}
