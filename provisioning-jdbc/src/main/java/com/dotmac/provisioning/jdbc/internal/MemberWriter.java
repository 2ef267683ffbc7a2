package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutMember;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes rollout members and events in JDBC batches of {@link #BATCH} rows (one statement execution, and on every
 * supported driver one round trip, per batch), on a connection the caller holds in a transaction. Stateless and
 * thread-safe.
 */
public final class MemberWriter {
    /** The most rows sent in one batch. */
    public static final int BATCH = 500;

    private final RolloutSql sql;
    private final RolloutRows rows;

    /**
     * @param sql the dialect's SQL
     * @param rows the row mapping
     */
    public MemberWriter(RolloutSql sql, RolloutRows rows) {
        this.sql = sql;
        this.rows = rows;
    }

    /**
     * Inserts members, {@link #BATCH} per statement execution.
     *
     * @param c a connection in a transaction
     * @param members the members
     * @throws SQLException from the driver
     */
    public void insert(Connection c, List<RolloutMember> members) throws SQLException {
        if (members.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.insertMember())) {
            int pending = 0;
            for (RolloutMember m : members) {
                rows.bindMember(ps, m);
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Updates members, {@link #BATCH} per statement execution.
     *
     * @param c a connection in a transaction
     * @param members the members as they are now
     * @return the first member no row matched (wrong rollout, position or tenant), or null when all were written;
     *     drivers that do not report batch counts (MariaDB's bulk protocol) are taken at their word
     * @throws SQLException from the driver
     */
    public @Nullable RolloutMember update(Connection c, List<RolloutMember> members) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.updateMember())) {
            int start = 0;
            while (start < members.size()) {
                List<RolloutMember> batch = members.subList(start, Math.min(members.size(), start + BATCH));
                for (RolloutMember m : batch) {
                    rows.bindMemberUpdate(ps, m);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length && i < batch.size(); i++) {
                    if (counts[i] == 0) {
                        return batch.get(i);
                    }
                }
                start += batch.size();
            }
        }
        return null;
    }

    /**
     * Appends events in order, as one batch.
     *
     * @param c a connection in a transaction
     * @param events the events
     * @throws SQLException from the driver
     */
    public void appendEvents(Connection c, List<RolloutEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.insertEvent())) {
            if (events.size() == 1) {
                rows.bindEvent(ps, events.get(0));
                ps.executeUpdate();
                return;
            }
            for (RolloutEvent e : events) {
                rows.bindEvent(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
