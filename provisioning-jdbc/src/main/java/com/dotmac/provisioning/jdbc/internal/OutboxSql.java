package com.dotmac.provisioning.jdbc.internal;

/**
 * The SQL of the event outbox (migration {@code V6__event_outbox.sql}): the same on every dialect. Stateless and
 * thread-safe.
 */
public final class OutboxSql {
    /** The outbox table. */
    public static final String OUTBOX = "tenant_provisioning_outbox";
    /** The columns an insert sets, in order. */
    public static final String INSERT_COLUMNS = "event_id, order_key, tenant_id, job_id, rollout_id, type, at, data";

    private static final String READ_COLUMNS =
            "o.id, o.event_id, o.tenant_id, o.job_id, o.rollout_id, o.type, o.at, o.data, o.attempts, o.delivered_to, "
            + "o.version";

    private OutboxSql() {
    }

    /** @return inserts one row: (event id, order key, tenant id, job id, rollout id, type, at, data) */
    public static String insert() {
        return "INSERT INTO " + OUTBOX + " (" + INSERT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * @return the heads of the queues that are due and not leased, lowest id first: (now, now, limit); a head is a
     *     row with no older row of the same order key
     */
    static String selectClaimableHeads() {
        return "SELECT " + READ_COLUMNS + " FROM " + OUTBOX + " o WHERE (o.next_attempt_at IS NULL OR "
                + "o.next_attempt_at <= ?) AND (o.lease_until IS NULL OR o.lease_until <= ?) AND NOT EXISTS (SELECT 1 "
                + "FROM " + OUTBOX + " p WHERE p.order_key = o.order_key AND p.id < o.id) ORDER BY o.id LIMIT ?";
    }

    /** @return leases a row still at a version: (owner, lease until, id, version) */
    static String leaseIfVersion() {
        return "UPDATE " + OUTBOX + " SET lease_owner = ?, lease_until = ?, version = version + 1 WHERE id = ? AND "
                + "version = ?";
    }

    /** @return deletes a delivered row still at a version: (id, version) */
    static String deleteIfVersion() {
        return "DELETE FROM " + OUTBOX + " WHERE id = ? AND version = ?";
    }

    /** @return records a failed delivery of a row still at a version: (delivered to, next attempt, id, version) */
    static String failIfVersion() {
        return "UPDATE " + OUTBOX + " SET attempts = attempts + 1, delivered_to = ?, next_attempt_at = ?, "
                + "lease_owner = NULL, lease_until = NULL, version = version + 1 WHERE id = ? AND version = ?";
    }

    /** @return counts the rows */
    static String count() {
        return "SELECT COUNT(*) FROM " + OUTBOX;
    }
}
