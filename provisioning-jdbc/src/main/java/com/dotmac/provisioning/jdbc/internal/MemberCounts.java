package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Counts rollout members by status with one {@code GROUP BY} statement: of one rollout (optionally one wave), or of
 * several rollouts at once (a page, a claim). Stateless and thread-safe.
 */
public final class MemberCounts {
    private final RolloutSql sql;

    /** @param sql the dialect's SQL */
    public MemberCounts(RolloutSql sql) {
        this.sql = sql;
    }

    /**
     * @param c a connection
     * @param rolloutId the rollout
     * @param wave one wave, or null for all
     * @return its members by status (statuses without members absent)
     * @throws SQLException from the driver
     */
    public Map<RolloutMemberStatus, Long> of(Connection c, String rolloutId, @Nullable Integer wave)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.countMembers(wave != null))) {
            ps.setString(1, rolloutId);
            if (wave != null) {
                ps.setInt(2, wave);
            }
            Map<RolloutMemberStatus, Long> counts = new EnumMap<>(RolloutMemberStatus.class);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(RolloutMemberStatus.fromWire(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        }
    }

    /**
     * @param c a connection
     * @param rolloutIds rollouts, at least one
     * @return each rollout's members by status (rollouts without members absent)
     * @throws SQLException from the driver
     */
    public Map<String, Map<RolloutMemberStatus, Long>> of(Connection c, List<String> rolloutIds)
            throws SQLException {
        Map<String, Map<RolloutMemberStatus, Long>> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.countMembersOf(rolloutIds.size()))) {
            for (int i = 0; i < rolloutIds.size(); i++) {
                ps.setString(i + 1, rolloutIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(RolloutMemberStatus.class))
                            .put(RolloutMemberStatus.fromWire(rs.getString(2)), rs.getLong(3));
                }
            }
        }
        return counts;
    }
}
