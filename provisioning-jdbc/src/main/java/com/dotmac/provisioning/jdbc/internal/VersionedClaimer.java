package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For databases without {@code SKIP LOCKED} (H2): reads the due jobs, then leases each with
 * {@code UPDATE ... WHERE id = ? AND version = ?} (one batch); a job another claimer leased first fails the version
 * check and is left out. Stateless and thread-safe.
 */
class VersionedClaimer implements Claimer {
    private final JobSql sql;
    private final JobRows rows;

    VersionedClaimer(JobSql sql, JobRows rows) {
        this.sql = sql;
        this.rows = rows;
    }

    @Override
    public List<StoredJob> claimDue(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        List<StoredJob> candidates = selectDue(c, sql.selectDue(), now, limit);
        if (candidates.isEmpty()) {
            return List.of();
        }
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(sql.leaseIfVersion())) {
            for (StoredJob s : candidates) {
                bindLease(ps, s, owner, leaseUntil);
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<StoredJob> claimed = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (counts[i] == 1) {
                claimed.add(leased(candidates.get(i), owner, leaseUntil));
            }
        }
        return claimed;
    }

    @Override
    public Optional<StoredJob> claim(Connection c, String jobId, String owner, Instant now, Instant leaseUntil)
            throws SQLException {
        Optional<StoredJob> candidate;
        try (PreparedStatement ps = c.prepareStatement(sql.selectOneDue())) {
            ps.setString(1, jobId);
            rows.values().bindDue(ps, 2, now);
            candidate = rows.readAll(ps).stream().findFirst();
        }
        if (candidate.isEmpty()) {
            return candidate;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.leaseIfVersion())) {
            bindLease(ps, candidate.get(), owner, leaseUntil);
            return ps.executeUpdate() == 1 ? Optional.of(leased(candidate.get(), owner, leaseUntil))
                    : Optional.empty();
        }
    }

    /**
     * @param c the connection
     * @param query {@link JobSql#selectDue()} or a locking variant: (now, now, limit)
     * @param now the engine's time
     * @param limit the most jobs
     * @return the due jobs, earliest first
     * @throws SQLException from the driver
     */
    List<StoredJob> selectDue(Connection c, String query, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            int i = rows.values().bindDue(ps, 1, now);
            ps.setInt(i, limit);
            return rows.readAll(ps);
        }
    }

    private void bindLease(PreparedStatement ps, StoredJob s, String owner, Instant leaseUntil) throws SQLException {
        ps.setString(1, owner);
        rows.values().setInstant(ps, 2, leaseUntil);
        ps.setString(3, s.id());
        ps.setLong(4, s.version());
    }

    /**
     * @param s a job as read before the lease
     * @param owner the lease owner
     * @param leaseUntil the lease's expiry
     * @return the job as stored by the lease update
     */
    static StoredJob leased(StoredJob s, String owner, Instant leaseUntil) {
        return s.withLease(owner, SqlValues.truncate(leaseUntil)).withVersion(s.version() + 1);
    }
}
