package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.spi.OutboxRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes the event outbox's rows ({@link OutboxSql}): inserts a job write's events (as part of its
 * transaction), claims the heads of the tenants' queues with version-checked leases (a row another claimer leased
 * first fails the check and is left out, so two claims never return one row), deletes a delivered row and records a
 * failed delivery, both version-checked. Stateless and thread-safe.
 */
public final class OutboxStore {
    /** Separates the names in {@code delivered_to} (consumer names never hold it). */
    private static final String NAME_SEPARATOR = "\n";

    private final SqlValues values;

    /** @param values the dialect's value mapping */
    public OutboxStore(SqlValues values) {
        this.values = values;
    }

    /**
     * Binds one outbox row's values (event id, order key, tenant id, job id, rollout id, type, at, data) from {@code first}.
     *
     * @param ps the statement
     * @param first the index of the first
     * @param e the event
     * @return the index after the last
     * @throws SQLException from the driver
     */
    public int bind(PreparedStatement ps, int first, ProvisioningEvent e) throws SQLException {
        int i = first;
        ps.setString(i++, e.id());
        ps.setString(i++, StoredText.cleanText(e.orderKey()));
        SqlValues.setString(ps, i++, StoredText.clean(e.tenantId()));
        SqlValues.setString(ps, i++, StoredText.clean(e.jobId()));
        SqlValues.setString(ps, i++, StoredText.clean(e.rolloutId()));
        ps.setString(i++, e.type());
        values.setInstant(ps, i++, e.at());
        ps.setString(i++, SqlValues.json(StoredText.clean(e.data())));
        return i;
    }

    /**
     * Reads an event from the columns {@link #bind} writes ({@link OutboxSql#INSERT_COLUMNS}, in that order: event
     * id, order key (derived from the event, not read), tenant id, job id, rollout id, type, at, data) from
     * {@code first}.
     *
     * @param rs the result set, on a row
     * @param first the index of the event id's column
     * @return the event
     * @throws SQLException from the driver
     */
    public ProvisioningEvent readEvent(ResultSet rs, int first) throws SQLException {
        return new ProvisioningEvent(rs.getString(first), rs.getString(first + 5), rs.getString(first + 2),
                rs.getString(first + 3), rs.getString(first + 4), values.getRequiredInstant(rs, first + 6),
                JsonColumns.readObject(rs.getString(first + 7)));
    }

    /**
     * Inserts events as one batch (or one statement for one), on the caller's connection and transaction.
     *
     * @param c the connection
     * @param events the events, in order
     * @throws SQLException from the driver
     */
    public void insert(Connection c, List<ProvisioningEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.insert())) {
            if (events.size() == 1) {
                bind(ps, 1, events.get(0));
                ps.executeUpdate();
                return;
            }
            for (ProvisioningEvent e : events) {
                bind(ps, 1, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Reads the claimable heads, then leases each with a version-checked update (one batch).
     *
     * @param c a connection in auto-commit mode
     * @param owner the claimer
     * @param now the current time
     * @param leaseUntil the end of the leases
     * @param limit the most rows
     * @return the claimed rows, lowest id first
     * @throws SQLException from the driver
     */
    public List<OutboxRecord> claim(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        List<OutboxRecord> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.selectClaimableHeads())) {
            values.setInstant(ps, 1, now);
            values.setInstant(ps, 2, now);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(read(rs));
                }
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.leaseIfVersion())) {
            for (OutboxRecord r : candidates) {
                ps.setString(1, owner);
                values.setInstant(ps, 2, leaseUntil);
                ps.setLong(3, r.sequence());
                ps.setLong(4, r.version());
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<OutboxRecord> claimed = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (counts[i] == 1) {
                OutboxRecord r = candidates.get(i);
                claimed.add(new OutboxRecord(r.sequence(), r.event(), r.attempts(), r.deliveredTo(),
                        r.version() + 1));
            }
        }
        return claimed;
    }

    /**
     * @param c a connection
     * @param claimed the row as claimed
     * @return whether it was deleted
     * @throws SQLException from the driver
     */
    public boolean delete(Connection c, OutboxRecord claimed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.deleteIfVersion())) {
            ps.setLong(1, claimed.sequence());
            ps.setLong(2, claimed.version());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * @param c a connection
     * @param claimed the row as claimed
     * @param deliveredTo the consumers that have it
     * @param retryAt when it is due again
     * @return whether it was written
     * @throws SQLException from the driver
     */
    public boolean fail(Connection c, OutboxRecord claimed, Set<String> deliveredTo, Instant retryAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.failIfVersion())) {
            SqlValues.setString(ps, 1, deliveredTo.isEmpty() ? null
                    : String.join(NAME_SEPARATOR, new TreeSet<>(deliveredTo)));
            values.setInstant(ps, 2, retryAt);
            ps.setLong(3, claimed.sequence());
            ps.setLong(4, claimed.version());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * @param c a connection
     * @return how many rows the outbox holds
     * @throws SQLException from the driver
     */
    public long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.count()); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private OutboxRecord read(ResultSet rs) throws SQLException {
        ProvisioningEvent event = new ProvisioningEvent(rs.getString(2), rs.getString(6), rs.getString(3),
                rs.getString(4), rs.getString(5), values.getRequiredInstant(rs, 7),
                JsonColumns.readObject(rs.getString(8)));
        String names = rs.getString(10);
        Set<String> deliveredTo = names == null || names.isEmpty() ? Set.of()
                : Set.copyOf(Arrays.asList(names.split(NAME_SEPARATOR)));
        return new OutboxRecord(rs.getLong(1), event, rs.getInt(9), deliveredTo, rs.getLong(11));
    }
}
