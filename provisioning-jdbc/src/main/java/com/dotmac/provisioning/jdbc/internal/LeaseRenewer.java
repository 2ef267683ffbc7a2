package com.dotmac.provisioning.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Extends one owner's leases ({@code JobRepository.renewLeases}) in chunks of {@link #CHUNK} ids: an
 * {@code UPDATE ... SET lease_until = ? WHERE lease_owner = ? AND id IN (...)} that leaves the version alone, then a
 * {@code SELECT} of the listed jobs the owner holds. Between both statements another node may claim a job whose lease
 * had run out; the select then leaves it out, which is the answer the caller needs (that job is lost). Stateless and
 * thread-safe.
 */
public final class LeaseRenewer {
    /** The most ids per statement. */
    static final int CHUNK = 500;

    private final JobSql sql;
    private final SqlValues values;

    /**
     * @param sql the dialect's SQL
     * @param values the dialect's value conversions
     */
    public LeaseRenewer(JobSql sql, SqlValues values) {
        this.sql = sql;
        this.values = values;
    }

    /**
     * @param c a connection in auto-commit mode
     * @param owner the leases' owner
     * @param jobIds the jobs, at least one
     * @param leaseUntil the new end of the leases
     * @return the listed jobs the owner holds after the update
     * @throws SQLException from the driver
     */
    public Set<String> renew(Connection c, List<String> jobIds, String owner, Instant leaseUntil)
            throws SQLException {
        Set<String> held = new HashSet<>();
        for (int from = 0; from < jobIds.size(); from += CHUNK) {
            List<String> chunk = jobIds.subList(from, Math.min(jobIds.size(), from + CHUNK));
            try (PreparedStatement ps = c.prepareStatement(sql.renewLeases(chunk.size()))) {
                values.setInstant(ps, 1, leaseUntil);
                ps.setString(2, owner);
                bindIds(ps, 3, chunk);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(sql.selectHeld(chunk.size()))) {
                ps.setString(1, owner);
                bindIds(ps, 2, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        held.add(rs.getString(1));
                    }
                }
            }
        }
        return held;
    }

    private static void bindIds(PreparedStatement ps, int first, List<String> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            ps.setString(first + i, ids.get(i));
        }
    }
}
