package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The floor of the engine's lifecycle: the fewest statements that the same lifecycle needs, written by hand over
 * plain JDBC against the library's own tables, with the same runner calls and no engine. Per job:
 *
 * <ol>
 *   <li>insert the job with its {@code created} event (the job is durable before anything runs);</li>
 *   <li>set the tenant to {@code provisioning} (the host's table: another port, so never merged with a job write);</li>
 *   <li>launch, then record the run id, status {@code in_progress} and its event (a run must never be lost);</li>
 *   <li>poll, then record {@code succeeded} with its artifacts and event;</li>
 *   <li>set the tenant to {@code provisioned}.</li>
 * </ol>
 *
 * <p>On PostgreSQL each job write carries its event in the same statement (a data-modifying {@code WITH}), as the
 * repository does: 5 statements and no commit. H2 has no data-modifying {@code WITH}, so a job write and its event
 * are two statements in one transaction: 8 statements and 3 commits. Every job write is version-checked, like the
 * engine's. The floor reads nothing: it knows the job, as a single-node, crash-ignorant program would; what the
 * engine adds for crash safety and several nodes (a "launch pending" mark, leases) is the price measured against it.
 * Not thread-safe; one instance per thread.
 */
final class FloorLifecycle {
    private static final String JOBS = "tenant_provisioning_jobs";
    private static final String EVENT_COLUMNS = "job_id, at, type, from_status, to_status, message, data";

    private final DataSource dataSource;
    private final boolean singleStatement;
    private final AutomationRunner runner;
    private final Clock clock;
    private final Duration jobTimeout;
    private final String insertJob;
    private final String markLaunched;
    private final String markSucceeded;
    private final String insertEvent;

    /**
     * @param dataSource the database (the library's tables and {@code tenants})
     * @param dialect its dialect: PostgreSQL writes a job and its event in one statement
     * @param runner the runner to launch and poll with (an instant one)
     * @param clock the time stamps' clock
     * @param jobTimeout the deadline set at launch
     */
    FloorLifecycle(DataSource dataSource, JdbcDialect dialect, AutomationRunner runner, Clock clock,
            Duration jobTimeout) {
        this.dataSource = dataSource;
        this.singleStatement = dialect == JdbcDialect.POSTGRESQL;
        this.runner = runner;
        this.clock = clock;
        this.jobTimeout = jobTimeout;
        String json = singleStatement ? "CAST(? AS JSONB)" : "?";
        this.insertJob = "INSERT INTO " + JOBS + " (id, tenant_id, tenant_slug, operation, deployment_mode, status, "
                + "requested_by, created_at, updated_at, retry_count, extra_vars, artifacts, version, "
                + "tenant_status_applied) VALUES (?, ?, ?, 'provision', 'dotmac_hosted', 'queued', 'system', ?, ?, 0, "
                + json + ", " + json + ", 1, TRUE)";
        this.markLaunched = "UPDATE " + JOBS + " SET status = 'in_progress', awx_job_id = ?, awx_template_id = ?, "
                + "started_at = ?, updated_at = ?, retry_count = 1, deadline = ?, version = 2 "
                + "WHERE id = ? AND version = 1";
        this.markSucceeded = "UPDATE " + JOBS + " SET status = 'succeeded', finished_at = ?, updated_at = ?, "
                + "artifacts = " + json + ", version = 3 WHERE id = ? AND version = 2";
        this.insertEvent = "INSERT INTO tenant_provisioning_job_events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, "
                + json + ")";
    }

    /**
     * Runs one tenant's provisioning from request to {@code provisioned}.
     *
     * @param tenantId an existing tenant (slug = id)
     * @return the job id
     * @throws IllegalStateException when a write matches no row or the run does not succeed at once
     */
    String provision(String tenantId) {
        String id = UUID.randomUUID().toString();
        Instant created = clock.instant();
        ProvisioningJob job = ProvisioningJob.builder(id).tenantId(tenantId).tenantSlug(tenantId)
                .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .createdAt(created).updatedAt(created).build();
        jobWrite(insertJob, new @Nullable Object[] {id, tenantId, tenantId, at(created), at(created), "{}", "{}"},
                new Event(id, created, "created", null, "queued", "provision requested by system",
                        "{\"requested_by\": \"system\", \"operation\": \"provision\"}"));
        tenantStatus(tenantId, TenantStatus.PROVISIONING);

        Map<String, Object> vars = Map.of(PlaybookVariables.TENANT_ID, tenantId,
                PlaybookVariables.TENANT_SLUG, tenantId, PlaybookVariables.DEPLOYMENT_MODE, "dotmac_hosted",
                PlaybookVariables.OPERATION, "provision", PlaybookVariables.PROVISIONING_JOB_ID, id);
        LaunchedRun run = runner.launch(new LaunchSpec(job, vars, created));
        Instant launched = clock.instant();
        jobWrite(markLaunched, new @Nullable Object[] {run.runId(), run.templateId(), at(launched), at(launched),
                at(launched.plus(jobTimeout)), id},
                new Event(id, launched, "status_changed", "queued", "in_progress", "run " + run.runId() + " launched",
                        "{\"run_id\": \"" + run.runId() + "\"}"));

        RunStatus status = runner.poll(List.of(run.runId())).get(run.runId());
        if (status == null || status.state() != RunState.SUCCEEDED) {
            throw new IllegalStateException("the floor expects an instant runner; run " + run.runId() + " is "
                    + status);
        }
        Instant ended = clock.instant();
        jobWrite(markSucceeded, new @Nullable Object[] {at(ended), at(ended), "{}", id},
                new Event(id, ended, "status_changed", "in_progress", "succeeded", "run " + run.runId() + " succeeded",
                        "{\"run_id\": \"" + run.runId() + "\", \"run_state\": \"succeeded\"}"));
        tenantStatus(tenantId, TenantStatus.PROVISIONED);
        return id;
    }

    private record Event(String jobId, Instant at, String type, @Nullable String from, String to, String message,
            String data) {
    }

    /** A version-checked job write and its event: one statement on PostgreSQL, else one transaction of two. */
    private void jobWrite(String sql, @Nullable Object[] values, Event event) {
        try (Connection c = dataSource.getConnection()) {
            if (singleStatement) {
                String statement = "WITH j AS (" + sql + " RETURNING id) INSERT INTO tenant_provisioning_job_events ("
                        + EVENT_COLUMNS + ") SELECT j.id, CAST(? AS TIMESTAMPTZ), CAST(? AS VARCHAR), "
                        + "CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS TEXT), CAST(? AS JSONB) FROM j";
                try (PreparedStatement ps = c.prepareStatement(statement)) {
                    int next = bind(ps, 1, values);
                    bindEvent(ps, next, event, false);
                    expectOne(ps.executeUpdate(), event);
                }
                return;
            }
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    bind(ps, 1, values);
                    expectOne(ps.executeUpdate(), event);
                }
                try (PreparedStatement ps = c.prepareStatement(insertEvent)) {
                    bindEvent(ps, 1, event, true);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("floor: could not write job " + event.jobId(), e);
        }
    }

    private void tenantStatus(String tenantId, String status) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE tenants SET status = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, tenantId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("floor: no tenant " + tenantId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("floor: could not set the status of tenant " + tenantId, e);
        }
    }

    private static int bind(PreparedStatement ps, int first, @Nullable Object[] values) throws SQLException {
        int i = first;
        for (Object v : values) {
            if (v == null) {
                ps.setNull(i++, Types.NULL);
            } else {
                ps.setObject(i++, v);
            }
        }
        return i;
    }

    private static void bindEvent(PreparedStatement ps, int first, Event e, boolean withJobId) throws SQLException {
        int i = first;
        if (withJobId) {
            ps.setString(i++, e.jobId());
        }
        ps.setObject(i++, at(e.at()));
        ps.setString(i++, e.type());
        ps.setString(i++, e.from());
        ps.setString(i++, e.to());
        ps.setString(i++, e.message());
        ps.setString(i, e.data());
    }

    private static void expectOne(int updated, Event event) {
        if (updated != 1) {
            throw new IllegalStateException("floor: job " + event.jobId() + " was not written (" + updated + " rows)");
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
