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
     * The heads of the queues that are due and not leased, lowest sequence first: (now, now, limit); a head is a
     * live row with no older live row of the same (subscription, order key).
     *
     * <p>On PostgreSQL the queues are enumerated first, one index probe each (a recursive skip scan over the partial
     * index {@code (subscription, order_key, sequence) WHERE dead = FALSE}), and each queue's head is read with one
     * more; so a claim costs one probe per live queue, however many deliveries wait behind a head that is not due (a
     * dead receiver's backlog). Elsewhere the heads are the lowest sequence of each queue's live rows
     * ({@code GROUP BY} over the index {@code (dead, subscription, order_key, sequence)}: MySQL and MariaDB read it
     * with a loose index scan, one probe per queue; H2 reads the index once).
     *
     * @param postgres whether the database is PostgreSQL
     * @return the query
     */
    static String selectClaimableHeads(boolean postgres) {
        if (postgres) {
            return "WITH RECURSIVE queues (subscription, order_key) AS ((SELECT subscription, order_key FROM "
                    + DELIVERIES + " WHERE dead = FALSE ORDER BY subscription, order_key LIMIT 1) UNION ALL SELECT "
                    + "n.subscription, n.order_key FROM queues q CROSS JOIN LATERAL (SELECT x.subscription, "
                    + "x.order_key FROM " + DELIVERIES + " x WHERE x.dead = FALSE AND (x.subscription, x.order_key) > "
                    + "(q.subscription, q.order_key) ORDER BY x.subscription, x.order_key LIMIT 1) n), heads AS ("
                    + "SELECT h.* FROM queues q CROSS JOIN LATERAL (SELECT " + READ_COLUMNS + ", w.lease_until FROM " + DELIVERIES
                    + " w WHERE w.subscription = q.subscription AND w.order_key = q.order_key AND w.dead = FALSE "
                    + "ORDER BY w.sequence LIMIT 1) h) SELECT " + READ_COLUMNS + " FROM heads w WHERE "
                    + "w.next_attempt_at <= ? AND (w.lease_until IS NULL OR w.lease_until <= ?) ORDER BY w.sequence "
                    + "LIMIT ?";
        }
        return "SELECT " + READ_COLUMNS + " FROM " + DELIVERIES + " w JOIN (SELECT MIN(sequence) AS head FROM "
                + DELIVERIES + " WHERE dead = FALSE GROUP BY dead, subscription, order_key) h ON w.sequence = h.head "
                + "WHERE w.next_attempt_at <= ? AND (w.lease_until IS NULL OR w.lease_until <= ?) "
                + "ORDER BY w.sequence LIMIT ?";
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
