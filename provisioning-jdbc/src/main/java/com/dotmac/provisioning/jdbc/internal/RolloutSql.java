package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.rollout.RolloutStatus;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL text of the rollout tables (migrations {@code V4__rollouts.sql} and {@code V5__rollout_idempotency_key.sql})
 * for one dialect, built once. Only input
 * values are statement parameters; the text holds nothing but fixed identifiers and the wire names of the live
 * rollout statuses. Immutable.
 */
public final class RolloutSql {
    /** The rollouts table. */
    public static final String ROLLOUTS = "tenant_provisioning_rollouts";
    /** The members table: one row per tenant of a rollout. */
    public static final String MEMBERS = "tenant_provisioning_rollout_members";
    /** The rollouts' events table. */
    public static final String EVENTS = "tenant_provisioning_rollout_events";

    /**
     * Every column of the rollouts table, in the order {@link RolloutRows} binds and reads them; {@code id} first.
     */
    public static final List<String> COLUMNS = List.of(
            "id", "operation", "deployment_mode", "release_version", "extra_vars", "template_id", "requested_by",
            "canary", "plan_wave_sizes", "plan_wave_percents", "max_parallel", "max_failures", "max_failed_percent",
            "pause_between_waves_ms", "selection", "status", "status_reason", "wave_sizes", "current_wave",
            "created_at", "updated_at", "finished_at", "version", "lease_owner", "lease_until", "next_check_at");

    /** Every column of the members table, in the order {@link RolloutRows} binds and reads them. */
    public static final List<String> MEMBER_COLUMNS = List.of(
            "rollout_id", "tenant_id", "position", "wave", "attempt", "status", "job_id", "error_code",
            "error_message", "updated_at");

    private static final String EVENT_COLUMNS = "rollout_id, at, type, from_status, to_status, message, data";
    private static final String LIVE = Arrays.stream(RolloutStatus.values()).filter(s -> !s.isTerminal())
            .map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", "));
    private static final String DUE = "status IN (" + LIVE + ") AND next_check_at <= ? "
            + "AND (lease_until IS NULL OR lease_until <= ?)";
    private static final String SET_LEASE = "lease_owner = ?, lease_until = ?, version = version + 1";

    /** The column of the creating request's idempotency key: inserted and read, never updated. */
    public static final String KEY_COLUMN = "idempotency_key";

    private final JdbcDialect dialect;
    private final String columns;
    private final String insertRollout;
    private final String updateRollout;
    private final String insertMember;
    private final String insertEvent;

    /** @param dialect the database's dialect */
    public RolloutSql(JdbcDialect dialect) {
        this.dialect = dialect;
        this.columns = String.join(", ", COLUMNS) + ", " + KEY_COLUMN;
        String json = dialect == JdbcDialect.POSTGRESQL ? "CAST(? AS JSONB)" : "?";
        this.insertRollout = "INSERT INTO " + ROLLOUTS + " (" + columns + ") VALUES ("
                + COLUMNS.stream().map(c -> c.equals("extra_vars") ? json : "?").collect(Collectors.joining(", "))
                + ", ?)";
        this.updateRollout = "UPDATE " + ROLLOUTS + " SET " + COLUMNS.stream().skip(1)
                .map(c -> c + " = " + (c.equals("extra_vars") ? json : "?")).collect(Collectors.joining(", "))
                + " WHERE id = ? AND version = ?";
        this.insertMember = "INSERT INTO " + MEMBERS + " (" + String.join(", ", MEMBER_COLUMNS) + ") VALUES ("
                + placeholders(MEMBER_COLUMNS.size()) + ")";
        this.insertEvent = "INSERT INTO " + EVENTS + " (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, " + json
                + ")";
    }

    /** @return the dialect */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** @return inserts a rollout: every column of {@link #COLUMNS}, then {@link #KEY_COLUMN} */
    public String insertRollout() {
        return insertRollout;
    }

    /** @return writes every column but {@code id}, if the version matches: (columns..., id, version) */
    public String updateRollout() {
        return updateRollout;
    }

    /** @return whether a rollout exists: (id) */
    public String rolloutExists() {
        return "SELECT 1 FROM " + ROLLOUTS + " WHERE id = ?";
    }

    /** @return the rollout created with an idempotency key: (key) */
    public String selectByIdempotencyKey() {
        return select() + " WHERE " + KEY_COLUMN + " = ?";
    }

    /** @return one rollout: (id) */
    public String selectById() {
        return select() + " WHERE id = ?";
    }

    /** @return how many rollouts there are (no parameters) */
    public String countRollouts() {
        return "SELECT COUNT(*) FROM " + ROLLOUTS;
    }

    /** @return one page of rollouts, newest first: (limit, offset) */
    public String page() {
        return select() + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
    }

    /**
     * @param rollouts how many ids, at least 1
     * @return the member counts of several rollouts: (ids...) returning (rollout id, status, count)
     */
    public String countMembersOf(int rollouts) {
        return "SELECT rollout_id, status, COUNT(*) FROM " + MEMBERS + " WHERE rollout_id IN ("
                + placeholders(rollouts) + ") GROUP BY rollout_id, status";
    }

    /**
     * @param byWave whether the count is of one wave
     * @return one rollout's member counts: (rollout id[, wave]) returning (status, count)
     */
    public String countMembers(boolean byWave) {
        return "SELECT status, COUNT(*) FROM " + MEMBERS + " WHERE rollout_id = ?" + (byWave ? " AND wave = ?" : "")
                + " GROUP BY status";
    }

    /** @return inserts a member: (the columns of {@link #MEMBER_COLUMNS}) */
    public String insertMember() {
        return insertMember;
    }

    /**
     * @return writes a member's outcome, if it is there: (attempt, status, job id, error code, error message,
     *     updated at, rollout id, position, tenant id)
     */
    public String updateMember() {
        return "UPDATE " + MEMBERS + " SET attempt = ?, status = ?, job_id = ?, error_code = ?, error_message = ?, "
                + "updated_at = ? WHERE rollout_id = ? AND position = ? AND tenant_id = ?";
    }

    /**
     * @param byStatus whether members are filtered by status
     * @param byWave whether members are filtered by wave
     * @return a page of one rollout's members in position order: (rollout id[, status][, wave], limit, offset)
     */
    public String selectMembers(boolean byStatus, boolean byWave) {
        return "SELECT " + String.join(", ", MEMBER_COLUMNS) + " FROM " + MEMBERS + " WHERE rollout_id = ?"
                + (byStatus ? " AND status = ?" : "") + (byWave ? " AND wave = ?" : "")
                + " ORDER BY position LIMIT ? OFFSET ?";
    }

    /** @return appends an event: (rollout id, at, type, from, to, message, data) */
    public String insertEvent() {
        return insertEvent;
    }

    /** @return a rollout's events in the order stored: (rollout id) */
    public String selectEvents() {
        return "SELECT " + EVENT_COLUMNS + " FROM " + EVENTS + " WHERE rollout_id = ? ORDER BY id";
    }

    // ---- claiming -----------------------------------------------------------------------------------------------

    /**
     * PostgreSQL: leases the due rollouts in one statement, skipping rows other claimers hold:
     * (owner, lease until, now, now, limit); returns the claimed rows.
     *
     * @return the statement
     */
    public String claimDueReturning() {
        return "UPDATE " + ROLLOUTS + " SET " + SET_LEASE + " WHERE id IN (SELECT id FROM " + ROLLOUTS + " WHERE "
                + DUE + " ORDER BY next_check_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + columns;
    }

    /** @return the due rollouts, earliest first: (now, now, limit) */
    public String selectDue() {
        return select() + " WHERE " + DUE + " ORDER BY next_check_at, id LIMIT ?";
    }

    /** @return MySQL: locks the due rollouts, skipping rows other claimers hold: (now, now, limit) */
    public String selectDueForUpdateSkipLocked() {
        return selectDue() + " FOR UPDATE SKIP LOCKED";
    }

    /** @return leases one rollout if its version matches: (owner, lease until, id, version) */
    public String leaseIfVersion() {
        return "UPDATE " + ROLLOUTS + " SET " + SET_LEASE + " WHERE id = ? AND version = ?";
    }

    /**
     * @param count how many ids
     * @return leases rollouts the caller has locked: (owner, lease until, ids...)
     */
    public String leaseLocked(int count) {
        return "UPDATE " + ROLLOUTS + " SET " + SET_LEASE + " WHERE id IN (" + placeholders(count) + ")";
    }

    private String select() {
        return "SELECT " + columns + " FROM " + ROLLOUTS;
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
