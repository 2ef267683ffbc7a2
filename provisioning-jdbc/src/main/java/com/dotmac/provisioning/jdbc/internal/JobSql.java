package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL text of the job tables for one dialect, built once. Only input values are statement parameters; the
 * text holds nothing but fixed identifiers and the wire names of the active statuses. Immutable.
 */
public final class JobSql {
    /** The jobs table. */
    public static final String JOBS = "tenant_provisioning_jobs";
    /** The events table. */
    public static final String EVENTS = "tenant_provisioning_job_events";
    /** The one-row table whose row serializes launches under the cap on runs in flight (migration V2). */
    public static final String RUNS_GUARD = "tenant_provisioning_runs_guard";

    /**
     * Every column of the jobs table that the repository reads and writes, in the order {@link JobRows} binds and
     * reads them; {@code id} first.
     */
    public static final List<String> COLUMNS = List.of(
            "id", "tenant_id", "tenant_slug", "operation", "deployment_mode", "status", "awx_template_id",
            "awx_job_id", "requested_by", "created_at", "updated_at", "started_at", "finished_at",
            "last_acknowledged_at", "retry_count", "error_code", "error_message", "extra_vars", "connection_profile",
            "artifacts", "release_version", "idempotency_key", "retry_of", "deadline", "version", "lease_owner",
            "lease_until", "next_check_at", "launch_pending_since", "stop_reason", "stop_requested_by",
            "stop_message", "stop_requested_at", "stop_sent_at", "tenant_status_applied",
            // V3
            "run_started_at",
            // V8
            "traceparent");

    private static final Set<String> JSON_COLUMNS = Set.of("extra_vars", "connection_profile", "artifacts");
    private static final String ACTIVE_STATUSES = "'" + JobStatus.QUEUED.wireName() + "', '"
            + JobStatus.IN_PROGRESS.wireName() + "'";
    private static final String DUE = "next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?)";
    private static final String SET_LEASE = "lease_owner = ?, lease_until = ?, version = version + 1";
    private static final String RELEASE = "lease_owner = NULL, lease_until = NULL, next_check_at = ?, "
            + "version = version + 1";

    private static final String EVENT_COLUMNS = "job_id, at, type, from_status, to_status, message, data";

    private final JdbcDialect dialect;
    private final String columns;
    private final String insertJob;
    private final String updateJob;
    private final String insertEvent;

    /** @param dialect the database's dialect */
    public JobSql(JdbcDialect dialect) {
        this.dialect = dialect;
        this.columns = String.join(", ", COLUMNS);
        this.insertJob = "INSERT INTO " + JOBS + " (" + columns + ") VALUES ("
                + COLUMNS.stream().map(this::placeholder).collect(Collectors.joining(", ")) + ")";
        this.updateJob = "UPDATE " + JOBS + " SET "
                + COLUMNS.stream().skip(1).map(c -> c + " = " + placeholder(c)).collect(Collectors.joining(", "))
                + " WHERE id = ? AND version = ?";
        this.insertEvent = "INSERT INTO " + EVENTS + " (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, "
                + jsonParameter() + ")";
    }

    /** @return the dialect */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** @return the placeholder of a JSON value (a cast to {@code jsonb} on PostgreSQL) */
    String jsonParameter() {
        return dialect == JdbcDialect.POSTGRESQL ? "CAST(? AS JSONB)" : "?";
    }

    private String placeholder(String column) {
        return JSON_COLUMNS.contains(column) ? jsonParameter() : "?";
    }

    /** @return inserts a job: every column of {@link #COLUMNS} */
    public String insertJob() {
        return insertJob;
    }

    /** @return writes every column but {@code id} of a job, if its version matches: (columns..., id, version) */
    public String updateJob() {
        return updateJob;
    }

    /** @return whether a job exists: (id) */
    public String jobExists() {
        return "SELECT 1 FROM " + JOBS + " WHERE id = ?";
    }

    /** @return one job: (id) */
    public String selectById() {
        return select() + " WHERE id = ?";
    }

    /**
     * @param jobs how many ids the statement lists, at least 1
     * @return the listed jobs that exist: (ids...)
     */
    public String selectByIds(int jobs) {
        return select() + " WHERE id IN (" + placeholders(jobs) + ")";
    }

    /** @return a tenant's active job: (tenant id) */
    public String selectActive() {
        return dialect == JdbcDialect.POSTGRESQL
                ? select() + " WHERE tenant_id = ? AND status IN (" + ACTIVE_STATUSES + ")"
                : select() + " WHERE active_tenant_id = ?";
    }

    /** @return a tenant's job by idempotency key: (tenant id, key) */
    public String selectByIdempotencyKey() {
        return select() + " WHERE tenant_id = ? AND idempotency_key = ?";
    }

    /** @return how many jobs a tenant has: (tenant id) */
    public String countByTenant() {
        return "SELECT COUNT(*) FROM " + JOBS + " WHERE tenant_id = ?";
    }

    /**
     * @param where a {@link JobSearchSql} condition ({@code 1=1} for all)
     * @return counts the jobs that match it: (its parameters)
     */
    public String countWhere(String where) {
        return "SELECT COUNT(*) FROM " + JOBS + " WHERE " + where;
    }

    /**
     * @param where a {@link JobSearchSql} condition ({@code 1=1} for all)
     * @return one page of the jobs that match it, newest first: (its parameters, limit, offset)
     */
    public String pageWhere(String where) {
        return select() + " WHERE " + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
    }

    /** @return one page of a tenant's jobs, newest first: (tenant id, limit, offset) */
    public String pageByTenant() {
        return select() + " WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
    }

    /**
     * @return reads the database's current time, one row with one column: PostgreSQL {@code clock_timestamp()} (the
     *     time when it runs, not the transaction's start) and H2 {@code CURRENT_TIMESTAMP(6)}, both with their time
     *     zone; MySQL/MariaDB {@code UTC_TIMESTAMP(6)}, the UTC wall-clock time as a {@code DATETIME}
     *     ({@link SqlValues#getInstant} reads each as an instant)
     */
    public String currentTime() {
        return switch (dialect) {
            case POSTGRESQL -> "SELECT clock_timestamp()";
            case H2 -> "SELECT CURRENT_TIMESTAMP(6)";
            case MYSQL -> "SELECT UTC_TIMESTAMP(6)";
        };
    }

    /** @return the number of runs in flight: (in-progress status, queued status) */
    public String countRunsInFlight() {
        return "SELECT COUNT(*) FROM " + JOBS
                + " WHERE status = ? OR (status = ? AND launch_pending_since IS NOT NULL)";
    }

    /**
     * @return counts the runs in flight other than one job: (in-progress status, queued status, the job's id)
     */
    public String countOtherRunsInFlight() {
        return "SELECT COUNT(*) FROM " + JOBS
                + " WHERE (status = ? OR (status = ? AND launch_pending_since IS NOT NULL)) AND id <> ?";
    }

    /** @return locks the guard row for the rest of the transaction; returns it (no parameters) */
    public String lockRunsGuard() {
        return "SELECT id FROM " + RUNS_GUARD + " WHERE id = 1 FOR UPDATE";
    }

    /**
     * @param jobs how many ids the statement lists, at least 1
     * @return extends one owner's leases without a new version: (lease until, owner, ids...)
     */
    public String renewLeases(int jobs) {
        return "UPDATE " + JOBS + " SET lease_until = ? WHERE lease_owner = ? AND id IN (" + placeholders(jobs) + ")";
    }

    /**
     * @param jobs how many ids the statement lists, at least 1
     * @return which of the listed jobs an owner holds: (owner, ids...)
     */
    public String selectHeld(int jobs) {
        return "SELECT id FROM " + JOBS + " WHERE lease_owner = ? AND id IN (" + placeholders(jobs) + ")";
    }

    /** @return appends an event: (job id, at, type, from, to, message, data) */
    public String insertEvent() {
        return insertEvent;
    }

    /**
     * PostgreSQL: a job write and its events as one statement (a data-modifying {@code WITH}), so no transaction
     * and no commit round trip are needed. Parameters: the job write's, then (at, type, from, to, message, data) per
     * event. The events are inserted (in order) only if the job write returned its row; the update count is the
     * number of events inserted.
     *
     * @param jobWrite {@link #insertJob()} or {@link #updateJob()}
     * @param events how many events, at least 1
     * @return the statement
     */
    public String withEvents(String jobWrite, int events) {
        StringBuilder sql = new StringBuilder("WITH j AS (").append(jobWrite).append(" RETURNING id) INSERT INTO ")
                .append(EVENTS).append(" (").append(EVENT_COLUMNS).append(") SELECT j.id, e.at, e.type, ")
                .append("e.from_status, e.to_status, e.message, e.data FROM j CROSS JOIN (VALUES ");
        for (int i = 0; i < events; i++) {
            sql.append(i == 0 ? "" : ", ").append("(CAST(? AS TIMESTAMPTZ), CAST(? AS VARCHAR), CAST(? AS VARCHAR), ")
                    .append("CAST(? AS VARCHAR), CAST(? AS TEXT), CAST(? AS JSONB), ").append(i).append(")");
        }
        return sql.append(") AS e(at, type, from_status, to_status, message, data, ord) ORDER BY e.ord").toString();
    }

    /**
     * PostgreSQL: {@link #withEvents} with outbox rows too, still one statement: the job write, its events (a
     * data-modifying {@code WITH}, run whatever reads it) and its outbox rows ({@link OutboxSql#INSERT_COLUMNS}), all
     * only when the job write matched a row. Parameters: those of the job write, then per event (at, type, from, to,
     * message, data), then per outbox row (event id, order key, tenant id, job id, rollout id, type, at,
     * data).
     *
     * @param jobWrite an {@code INSERT} or {@code UPDATE} of the job without {@code RETURNING}
     * @param events how many events, at least 1
     * @param outbox how many outbox rows, at least 1
     * @return the statement; its update count is the number of outbox rows inserted (0 when the job write matched
     *     no row)
     */
    public String withEventsAndOutbox(String jobWrite, int events, int outbox) {
        StringBuilder sql = new StringBuilder("WITH j AS (").append(jobWrite)
                .append(" RETURNING id), ev AS (INSERT INTO ")
                .append(EVENTS).append(" (").append(EVENT_COLUMNS).append(") SELECT j.id, e.at, e.type, ")
                .append("e.from_status, e.to_status, e.message, e.data FROM j CROSS JOIN (VALUES ");
        for (int i = 0; i < events; i++) {
            sql.append(i == 0 ? "" : ", ").append("(CAST(? AS TIMESTAMPTZ), CAST(? AS VARCHAR), CAST(? AS VARCHAR), ")
                    .append("CAST(? AS VARCHAR), CAST(? AS TEXT), CAST(? AS JSONB), ").append(i).append(")");
        }
        sql.append(") AS e(at, type, from_status, to_status, message, data, ord) ORDER BY e.ord) INSERT INTO ")
                .append(OutboxSql.OUTBOX).append(" (").append(OutboxSql.INSERT_COLUMNS).append(") SELECT o.event_id, ")
                .append("o.order_key, o.tenant_id, o.job_id, o.rollout_id, o.type, o.at, o.data FROM j CROSS JOIN ")
                .append("(VALUES ");
        for (int i = 0; i < outbox; i++) {
            sql.append(i == 0 ? "" : ", ").append("(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), ")
                    .append("CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS TIMESTAMPTZ), ")
                    .append("CAST(? AS TEXT), ").append(i).append(")");
        }
        return sql.append(") AS o(event_id, order_key, tenant_id, job_id, rollout_id, type, at, data, ord) ")
                .append("ORDER BY o.ord")
                .toString();
    }

    /** @return a job's events in the order stored: (job id) */
    public String selectEvents() {
        return "SELECT job_id, at, type, from_status, to_status, message, data FROM " + EVENTS
                + " WHERE job_id = ? ORDER BY id";
    }

    // ---- claiming -----------------------------------------------------------------------------------------------

    /**
     * PostgreSQL: leases the due jobs in one statement, skipping rows other claimers hold:
     * (owner, lease until, now, now, limit).
     *
     * @return the statement; it returns the claimed rows
     */
    public String claimDueReturning() {
        return "UPDATE " + JOBS + " SET " + SET_LEASE + " WHERE id IN (SELECT id FROM " + JOBS + " WHERE " + DUE
                + " ORDER BY next_check_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + columns;
    }

    /** @return PostgreSQL: leases one job if due: (owner, lease until, id, now, now); returns the row */
    public String claimOneReturning() {
        return "UPDATE " + JOBS + " SET " + SET_LEASE + " WHERE id = ? AND " + DUE + " RETURNING " + columns;
    }

    /** @return MySQL: locks due jobs, skipping rows other claimers hold: (now, now, limit) */
    public String selectDueForUpdateSkipLocked() {
        return selectDue() + " FOR UPDATE SKIP LOCKED";
    }

    /** @return the due jobs, earliest first: (now, now, limit) */
    public String selectDue() {
        return select() + " WHERE " + DUE + " ORDER BY next_check_at, id LIMIT ?";
    }

    /** @return one job if due: (id, now, now) */
    public String selectOneDue() {
        return select() + " WHERE id = ? AND " + DUE;
    }

    /** @return leases one job if its version matches: (owner, lease until, id, version) */
    public String leaseIfVersion() {
        return "UPDATE " + JOBS + " SET " + SET_LEASE + " WHERE id = ? AND version = ?";
    }

    /**
     * @param count how many ids
     * @return leases jobs that the caller has locked: (owner, lease until, id...)
     */
    public String leaseLocked(int count) {
        return "UPDATE " + JOBS + " SET " + SET_LEASE + " WHERE id IN (" + placeholders(count) + ")";
    }

    // ---- rescheduling -------------------------------------------------------------------------------------------

    /** @return releases one job's lease and sets its next check, if its version matches: (next, id, version) */
    public String releaseOne() {
        return "UPDATE " + JOBS + " SET " + RELEASE + " WHERE id = ? AND version = ?";
    }

    /** @return PostgreSQL: releases many jobs whose versions match: (next, id array, version array) */
    public String releaseManyArrays() {
        return "UPDATE " + JOBS + " AS j SET lease_owner = NULL, lease_until = NULL, next_check_at = ?, "
                + "version = j.version + 1 FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS BIGINT[])) AS r(id, version) "
                + "WHERE j.id = r.id AND j.version = r.version";
    }

    /**
     * @param count how many jobs
     * @return releases many jobs whose versions match: (next, id..., (id, version)...)
     */
    public String releaseManyRowValues(int count) {
        return "UPDATE " + JOBS + " SET " + RELEASE + " WHERE id IN (" + placeholders(count)
                + ") AND (id, version) IN (" + String.join(", ", Collections.nCopies(count, "(?, ?)")) + ")";
    }

    private String select() {
        return "SELECT " + columns + " FROM " + JOBS;
    }

    /** @return the number of jobs due now and not leased: (the due condition's parameters) */
    public String countDue() {
        return "SELECT COUNT(*) FROM " + JOBS + " WHERE " + DUE;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
