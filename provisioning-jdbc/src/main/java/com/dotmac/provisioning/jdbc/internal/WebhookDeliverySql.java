package com.dotmac.provisioning.jdbc.internal;

/**
 * The SQL of the webhook delivery queue (migration {@code V7__webhook_deliveries.sql}): the same on every dialect.
 * The event's columns are the outbox's ({@link OutboxSql#INSERT_COLUMNS}), written and read by {@link OutboxStore}.
 * Stateless and thread-safe.
 */
public final class WebhookDeliverySql {
    /** The delivery table. */
    public static final String DELIVERIES = "tenant_provisioning_webhook_delivery";

    /** The columns every read returns, in order; the event's columns start at {@link #EVENT_COLUMN}. */
    private static final String READ_COLUMNS = "w.sequence, w.id, w.subscription, w.attempts, w.next_attempt_at, "
            + "w.last_error, w.dead, w.version, w.event_id, w.order_key, w.tenant_id, w.job_id, w.rollout_id, "
            + "w.type, w.at, w.data";
    /** The index of the event id's column in a read. */
    static final int EVENT_COLUMN = 9;

    private WebhookDeliverySql() {
    }

    /** @return the subscriptions an event is queued for: (event id) */
    static String selectSubscriptionsOfEvent() {
        return "SELECT subscription FROM " + DELIVERIES + " WHERE event_id = ?";
    }

    /** @return inserts one pending row: (id, subscription, next attempt at, then the outbox's event columns) */
    static String insert() {
        return "INSERT INTO " + DELIVERIES + " (id, subscription, next_attempt_at, " + OutboxSql.INSERT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * @return the heads of the queues that are due and not leased, lowest sequence first: (now, now, limit); a head
     *     is a live row with no older live row of the same (subscription, order key)
     */
    static String selectClaimableHeads() {
        return "SELECT " + READ_COLUMNS + " FROM " + DELIVERIES + " w WHERE w.dead = FALSE AND w.next_attempt_at <= ? "
                + "AND (w.lease_until IS NULL OR w.lease_until <= ?) AND NOT EXISTS (SELECT 1 FROM " + DELIVERIES
                + " p WHERE p.subscription = w.subscription AND p.order_key = w.order_key AND p.dead = FALSE "
                + "AND p.sequence < w.sequence) ORDER BY w.sequence LIMIT ?";
    }

    /** @return leases a row still at a version: (owner, lease until, sequence, version) */
    static String leaseIfVersion() {
        return "UPDATE " + DELIVERIES + " SET lease_owner = ?, lease_until = ?, version = version + 1 "
                + "WHERE sequence = ? AND version = ?";
    }

    /** @return deletes a delivered row still at a version: (sequence, version) */
    static String deleteIfVersion() {
        return "DELETE FROM " + DELIVERIES + " WHERE sequence = ? AND version = ?";
    }

    /**
     * @param dead whether the failed attempt was the last (the row becomes a dead letter)
     * @return records a failed attempt of a row still at a version: (last error, next attempt at, sequence, version)
     */
    static String failIfVersion(boolean dead) {
        return "UPDATE " + DELIVERIES + " SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                + (dead ? "dead = TRUE, " : "") + "lease_owner = NULL, lease_until = NULL, version = version + 1 "
                + "WHERE sequence = ? AND version = ?";
    }

    /**
     * @param bySubscription whether a subscription is named
     * @return dead letters, oldest first: ([subscription,] limit, offset)
     */
    static String selectDeadLetters(boolean bySubscription) {
        return "SELECT " + READ_COLUMNS + " FROM " + DELIVERIES + " w WHERE w.dead = TRUE"
                + (bySubscription ? " AND w.subscription = ?" : "") + " ORDER BY w.sequence LIMIT ? OFFSET ?";
    }

    /**
     * @param bySubscription whether a subscription is named
     * @return counts the dead letters: ([subscription])
     */
    static String countDeadLetters(boolean bySubscription) {
        return "SELECT COUNT(*) FROM " + DELIVERIES + " WHERE dead = TRUE"
                + (bySubscription ? " AND subscription = ?" : "");
    }

    /** @return counts the pending rows */
    static String countPending() {
        return "SELECT COUNT(*) FROM " + DELIVERIES + " WHERE dead = FALSE";
    }

    /** @return puts a dead letter back in its queue: (next attempt at, id) */
    static String redeliver() {
        return "UPDATE " + DELIVERIES + " SET dead = FALSE, attempts = 0, next_attempt_at = ?, lease_owner = NULL, "
                + "lease_until = NULL, version = version + 1 WHERE id = ? AND dead = TRUE";
    }

    /** @return one row by its id: (id) */
    static String selectById() {
        return "SELECT " + READ_COLUMNS + " FROM " + DELIVERIES + " w WHERE w.id = ?";
    }
}
