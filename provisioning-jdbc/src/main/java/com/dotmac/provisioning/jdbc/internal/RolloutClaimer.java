package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.spi.StoredRollout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Leases due rollouts so that two concurrent claims never return the same one, as the job claim does for each
 * dialect: PostgreSQL, one {@code UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...};
 * MySQL 8 / MariaDB 10.6+, {@code SELECT ... FOR UPDATE SKIP LOCKED} and one {@code UPDATE ... WHERE id IN (...)}
 * in a short transaction; H2, a read and version-checked updates (one batch), a rollout leased by another claimer
 * first failing its check. The claimed rollouts' member counts are then read with one more statement. Stateless and
 * thread-safe.
 */
public final class RolloutClaimer {
    private static final Comparator<StoredRollout> EARLIEST_FIRST = Comparator
            .comparing((StoredRollout s) -> s.nextCheckAt(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(StoredRollout::id);

    private final RolloutSql sql;
    private final RolloutRows rows;
    private final MemberCounts counts;

    /**
     * @param sql the dialect's SQL
     * @param rows the row mapping
     * @param counts reads member counts
     */
    public RolloutClaimer(RolloutSql sql, RolloutRows rows, MemberCounts counts) {
        this.sql = sql;
        this.rows = rows;
        this.counts = counts;
    }

    /**
     * @param c a connection in auto-commit mode
     * @param owner the claiming node
     * @param now the engine's time
     * @param leaseUntil the leases' expiry
     * @param limit the most rollouts
     * @return the claimed rollouts as stored (new versions, with their member counts), earliest next check first
     * @throws SQLException from the driver
     */
    public List<StoredRollout> claimDue(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        List<StoredRollout> claimed = switch (sql.dialect()) {
            case POSTGRESQL -> returning(c, owner, now, leaseUntil, limit);
            case MYSQL -> skipLocked(c, owner, now, leaseUntil, limit);
            case H2 -> versioned(c, owner, now, leaseUntil, limit);
        };
        if (claimed.isEmpty()) {
            return claimed;
        }
        Map<String, Map<RolloutMemberStatus, Long>> byRollout = counts.of(c,
                claimed.stream().map(StoredRollout::id).toList());
        List<StoredRollout> result = new ArrayList<>(claimed.size());
        for (StoredRollout s : claimed) {
            result.add(RolloutRows.withCounts(s, byRollout.getOrDefault(s.id(), Map.of())));
        }
        result.sort(EARLIEST_FIRST);
        return result;
    }

    private List<StoredRollout> returning(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.claimDueReturning())) {
            ps.setString(1, owner);
            rows.values().setInstant(ps, 2, leaseUntil);
            int i = rows.values().bindDue(ps, 3, now);
            ps.setInt(i, limit);
            return readAll(ps);
        }
    }

    private List<StoredRollout> skipLocked(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            List<StoredRollout> locked = selectDue(tx, sql.selectDueForUpdateSkipLocked(), now, limit);
            if (locked.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = tx.prepareStatement(sql.leaseLocked(locked.size()))) {
                ps.setString(1, owner);
                rows.values().setInstant(ps, 2, leaseUntil);
                int i = 3;
                for (StoredRollout s : locked) {
                    ps.setString(i++, s.id());
                }
                ps.executeUpdate();
            }
            return locked.stream().map(s -> leased(s, owner, leaseUntil)).toList();
        });
    }

    private List<StoredRollout> versioned(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        List<StoredRollout> candidates = selectDue(c, sql.selectDue(), now, limit);
        if (candidates.isEmpty()) {
            return List.of();
        }
        int[] updated;
        try (PreparedStatement ps = c.prepareStatement(sql.leaseIfVersion())) {
            for (StoredRollout s : candidates) {
                ps.setString(1, owner);
                rows.values().setInstant(ps, 2, leaseUntil);
                ps.setString(3, s.id());
                ps.setLong(4, s.version());
                ps.addBatch();
            }
            updated = ps.executeBatch();
        }
        List<StoredRollout> claimed = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (updated[i] == 1) {
                claimed.add(leased(candidates.get(i), owner, leaseUntil));
            }
        }
        return claimed;
    }

    private List<StoredRollout> selectDue(Connection c, String query, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            int i = rows.values().bindDue(ps, 1, now);
            ps.setInt(i, limit);
            return readAll(ps);
        }
    }

    private List<StoredRollout> readAll(PreparedStatement ps) throws SQLException {
        List<StoredRollout> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(rows.read(rs, Map.of()));
            }
        }
        return list;
    }

    private static StoredRollout leased(StoredRollout s, String owner, Instant leaseUntil) {
        return s.withLease(owner, SqlValues.truncate(leaseUntil)).withVersion(s.version() + 1);
    }
}
