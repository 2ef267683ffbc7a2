package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the webhook delivery queue's rows ({@link WebhookDeliverySql}) on a caller's connection: enqueues
 * an event for the subscriptions that do not have it yet (one transaction), claims the heads of the queues with
 * version-checked leases (a row another claimer leased first fails the check and is left out, so two claims never
 * return one row), and the version-checked writes after a claim. Stateless and thread-safe.
 */
public final class WebhookDeliveryRows {
    /** The most characters of {@code last_error} kept (the column's size). */
    public static final int MAX_ERROR_LENGTH = 1000;

    private final SqlValues values;
    private final OutboxStore events;
    private final String claimableHeads;

    /** @param dialect the database's dialect */
    public WebhookDeliveryRows(JdbcDialect dialect) {
        this.values = new SqlValues(dialect);
        this.events = new OutboxStore(values);
        this.claimableHeads = WebhookDeliverySql.selectClaimableHeads(dialect == JdbcDialect.POSTGRESQL);
    }

    /**
     * Inserts a pending row per subscription that has no row of the event yet, in one transaction: a read of the
     * event's rows, then one insert batch. A unique violation (another node enqueued the same event at the same
     * moment) rolls it back; the caller runs it again, and the read then finds the other node's rows.
     *
     * @param c a connection in auto-commit mode
     * @param event the event
     * @param subscriptions the subscriptions, without duplicates
     * @param now when the rows are due
     * @return how many rows were inserted
     * @throws SQLException from the driver (a unique violation included)
     */
    public int enqueue(Connection c, ProvisioningEvent event, Set<String> subscriptions, Instant now)
            throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            Set<String> queued = new HashSet<>();
            try (PreparedStatement ps = tx.prepareStatement(WebhookDeliverySql.selectSubscriptionsOfEvent())) {
                ps.setString(1, event.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        queued.add(rs.getString(1));
                    }
                }
            }
            List<String> missing = subscriptions.stream().filter(s -> !queued.contains(s)).toList();
            if (missing.isEmpty()) {
                return 0;
            }
            try (PreparedStatement ps = tx.prepareStatement(WebhookDeliverySql.insert())) {
                for (String subscription : missing) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, StoredText.cleanText(subscription));
                    values.setInstant(ps, 3, now);
                    events.bind(ps, 4, event);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return missing.size();
        });
    }

    /**
     * Reads the claimable heads, then leases each with a version-checked update (one batch).
     *
     * @param c a connection in auto-commit mode
     * @param owner the claimer
     * @param now the current time
     * @param leaseUntil the end of the leases
     * @param limit the most rows
     * @return the claimed rows, lowest sequence first, with their new versions
     * @throws SQLException from the driver
     */
    public List<WebhookDelivery> claim(Connection c, String owner, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        List<WebhookDelivery> candidates;
        try (PreparedStatement ps = c.prepareStatement(claimableHeads)) {
            values.setInstant(ps, 1, now);
            values.setInstant(ps, 2, now);
            ps.setInt(3, limit);
            candidates = readAll(ps);
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(WebhookDeliverySql.leaseIfVersion())) {
            for (WebhookDelivery d : candidates) {
                ps.setString(1, owner);
                values.setInstant(ps, 2, leaseUntil);
                ps.setLong(3, d.sequence());
                ps.setLong(4, d.version());
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<WebhookDelivery> claimed = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (counts[i] == 1) {
                WebhookDelivery d = candidates.get(i);
                claimed.add(new WebhookDelivery(d.id(), d.sequence(), d.subscription(), d.event(), d.attempts(),
                        d.nextAttemptAt(), d.lastError(), d.dead(), d.version() + 1));
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
    public boolean delete(Connection c, WebhookDelivery claimed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WebhookDeliverySql.deleteIfVersion())) {
            ps.setLong(1, claimed.sequence());
            ps.setLong(2, claimed.version());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * @param c a connection
     * @param claimed the row as claimed
     * @param lastError what went wrong (cut to {@link #MAX_ERROR_LENGTH} characters)
     * @param nextAttemptAt when it is due again (for a dead letter: when it died)
     * @param dead whether it becomes a dead letter
     * @return whether it was written
     * @throws SQLException from the driver
     */
    public boolean fail(Connection c, WebhookDelivery claimed, String lastError, Instant nextAttemptAt, boolean dead)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WebhookDeliverySql.failIfVersion(dead))) {
            ps.setString(1, storedError(lastError));
            values.setInstant(ps, 2, nextAttemptAt);
            ps.setLong(3, claimed.sequence());
            ps.setLong(4, claimed.version());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * @param c a connection
     * @param subscription only this subscription's; all when null
     * @param offset how many to skip
     * @param limit the most to return
     * @return the dead letters, oldest first
     * @throws SQLException from the driver
     */
    public List<WebhookDelivery> deadLetters(Connection c, @Nullable String subscription, int offset, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WebhookDeliverySql.selectDeadLetters(subscription != null))) {
            int i = 1;
            if (subscription != null) {
                ps.setString(i++, StoredText.cleanText(subscription));
            }
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            return readAll(ps);
        }
    }

    /**
     * @param c a connection
     * @param subscription only this subscription's; all when null
     * @return how many dead letters there are
     * @throws SQLException from the driver
     */
    public long countDeadLetters(Connection c, @Nullable String subscription) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WebhookDeliverySql.countDeadLetters(subscription != null))) {
            if (subscription != null) {
                ps.setString(1, StoredText.cleanText(subscription));
            }
            return count(ps);
        }
    }

    /**
     * @param c a connection
     * @return how many rows are pending
     * @throws SQLException from the driver
     */
    public long countPending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WebhookDeliverySql.countPending())) {
            return count(ps);
        }
    }

    /**
     * Puts a dead letter back in its queue and reads it, in one transaction.
     *
     * @param c a connection in auto-commit mode
     * @param deliveryId the dead letter's id
     * @param now when it is due
     * @return the row as it is now; empty when no dead letter has that id
     * @throws SQLException from the driver
     */
    public Optional<WebhookDelivery> redeliver(Connection c, String deliveryId, Instant now) throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            try (PreparedStatement ps = tx.prepareStatement(WebhookDeliverySql.redeliver())) {
                values.setInstant(ps, 1, now);
                ps.setString(2, deliveryId);
                if (ps.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement ps = tx.prepareStatement(WebhookDeliverySql.selectById())) {
                ps.setString(1, deliveryId);
                return readAll(ps).stream().findFirst();
            }
        });
    }

    /**
     * @param lastError an error text
     * @return it as stored: cut to {@link #MAX_ERROR_LENGTH} characters, then cleaned as {@link StoredText} does
     */
    public static String storedError(String lastError) {
        String cut = lastError.length() > MAX_ERROR_LENGTH ? lastError.substring(0, MAX_ERROR_LENGTH) : lastError;
        return StoredText.cleanText(cut);
    }

    private List<WebhookDelivery> readAll(PreparedStatement ps) throws SQLException {
        List<WebhookDelivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new WebhookDelivery(rs.getString(2), rs.getLong(1), rs.getString(3),
                        events.readEvent(rs, WebhookDeliverySql.EVENT_COLUMN), rs.getInt(4),
                        values.getRequiredInstant(rs, 5), rs.getString(6), rs.getBoolean(7), rs.getLong(8)));
            }
        }
        return out;
    }

    private static long count(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
