package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.WireNames;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps jobs and events to statement parameters and back, in the column order of {@link JobSql#COLUMNS}. Enums are
 * stored as their wire names ({@code in_progress}, {@code customer_hosted}, {@code provision}). Immutable.
 */
public final class JobRows {
    private final SqlValues values;

    /** @param values the dialect's value conversions */
    public JobRows(SqlValues values) {
        this.values = values;
    }

    /** @return the dialect's value conversions */
    public SqlValues values() {
        return values;
    }

    /**
     * Binds every column after {@code id}, in {@link JobSql#COLUMNS} order.
     *
     * @param ps the statement
     * @param first the first parameter index to bind
     * @param s the job
     * @param version the version to store
     * @return the next parameter index
     * @throws SQLException from the driver
     */
    public int bindAllButId(PreparedStatement ps, int first, StoredJob s, long version) throws SQLException {
        ProvisioningJob j = s.job();
        int i = first;
        ps.setString(i++, j.tenantId());
        ps.setString(i++, j.tenantSlug());
        ps.setString(i++, j.operation().wireName());
        ps.setString(i++, j.deploymentMode().wireName());
        ps.setString(i++, j.status().wireName());
        SqlValues.setLong(ps, i++, j.templateId());
        SqlValues.setString(ps, i++, j.runId());
        ps.setString(i++, j.requestedBy());
        values.setInstant(ps, i++, j.createdAt());
        values.setInstant(ps, i++, j.updatedAt());
        values.setInstant(ps, i++, j.startedAt());
        values.setInstant(ps, i++, j.finishedAt());
        values.setInstant(ps, i++, j.lastAcknowledgedAt());
        ps.setInt(i++, j.retryCount());
        SqlValues.setString(ps, i++, j.errorCode());
        SqlValues.setString(ps, i++, j.errorMessage());
        ps.setString(i++, SqlValues.json(j.extraVars()));
        SqlValues.setString(ps, i++, j.connectionProfile() == null ? null : SqlValues.json(j.connectionProfile().toMap()));
        ps.setString(i++, SqlValues.json(j.artifacts()));
        SqlValues.setString(ps, i++, j.releaseVersion());
        SqlValues.setString(ps, i++, j.idempotencyKey());
        SqlValues.setString(ps, i++, j.retryOf());
        values.setInstant(ps, i++, j.deadline());
        ps.setLong(i++, version);
        SqlValues.setString(ps, i++, s.leaseOwner());
        values.setInstant(ps, i++, s.leaseUntil());
        values.setInstant(ps, i++, s.nextCheckAt());
        values.setInstant(ps, i++, s.launchPendingSince());
        StopRequest stop = s.stop();
        SqlValues.setString(ps, i++, stop == null ? null : WireNames.of(stop.reason()));
        SqlValues.setString(ps, i++, stop == null ? null : stop.requestedBy());
        SqlValues.setString(ps, i++, stop == null ? null : stop.message());
        values.setInstant(ps, i++, stop == null ? null : stop.at());
        values.setInstant(ps, i++, s.stopSentAt());
        ps.setBoolean(i++, s.tenantStatusApplied());
        values.setInstant(ps, i++, j.runStartedAt());
        SqlValues.setString(ps, i++, j.traceparent());
        return i;
    }

    /**
     * Reads a job from a row holding {@link JobSql#COLUMNS} in order.
     *
     * @param rs the result set, on the row
     * @return the job
     * @throws SQLException from the driver
     */
    public StoredJob read(ResultSet rs) throws SQLException {
        ProvisioningJob job = ProvisioningJob.builder(rs.getString(1))
                .tenantId(rs.getString(2))
                .tenantSlug(rs.getString(3))
                .operation(Operation.fromWire(rs.getString(4)))
                .deploymentMode(DeploymentMode.fromWire(rs.getString(5)))
                .status(JobStatus.fromWire(rs.getString(6)))
                .templateId(SqlValues.getLong(rs, 7))
                .runId(rs.getString(8))
                .requestedBy(rs.getString(9))
                .createdAt(values.getRequiredInstant(rs, 10))
                .updatedAt(values.getRequiredInstant(rs, 11))
                .startedAt(values.getInstant(rs, 12))
                .finishedAt(values.getInstant(rs, 13))
                .lastAcknowledgedAt(values.getInstant(rs, 14))
                .retryCount(rs.getInt(15))
                .errorCode(rs.getString(16))
                .errorMessage(rs.getString(17))
                .extraVars(SqlValues.getJsonObject(rs, 18))
                .connectionProfile(connectionProfile(rs.getString(19)))
                .artifacts(SqlValues.getJsonObject(rs, 20))
                .releaseVersion(rs.getString(21))
                .idempotencyKey(rs.getString(22))
                .retryOf(rs.getString(23))
                .deadline(values.getInstant(rs, 24))
                .runStartedAt(values.getInstant(rs, 36))
                .traceparent(rs.getString(37))
                .build();
        long version = rs.getLong(25);
        String leaseOwner = rs.getString(26);
        Instant leaseUntil = values.getInstant(rs, 27);
        Instant nextCheckAt = values.getInstant(rs, 28);
        Instant launchPendingSince = values.getInstant(rs, 29);
        String stopReason = rs.getString(30);
        String stopBy = rs.getString(31);
        String stopMessage = rs.getString(32);
        Instant stopAt = values.getInstant(rs, 33);
        StopRequest stop = stopReason == null || stopBy == null || stopAt == null ? null
                : new StopRequest(WireNames.parse(StopReason.class, stopReason, "stop reason"), stopBy, stopMessage,
                        stopAt);
        Instant stopSentAt = values.getInstant(rs, 34);
        boolean applied = rs.getBoolean(35);
        return new StoredJob(job, version, leaseOwner, leaseUntil, nextCheckAt, launchPendingSince, stop, stopSentAt,
                applied);
    }

    /**
     * Executes a query (or {@code UPDATE ... RETURNING}) whose rows hold {@link JobSql#COLUMNS} and reads them all.
     *
     * @param ps the bound statement
     * @return the jobs, in the order returned
     * @throws SQLException from the driver
     */
    public List<StoredJob> readAll(PreparedStatement ps) throws SQLException {
        List<StoredJob> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                jobs.add(read(rs));
            }
        }
        return jobs;
    }

    private static @Nullable ConnectionProfile connectionProfile(@Nullable String json) {
        return json == null ? null : ConnectionProfile.fromMap(JsonColumns.readObject(json));
    }

    private static boolean isTruncated(@Nullable Instant... instants) {
        for (Instant t : instants) {
            if (t != null && t.getNano() % 1000 != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Binds an event's values after its job id: at, type, from, to, message, data (its text made storable by
     * {@link StoredText}).
     *
     * @param ps the statement
     * @param first the first parameter index to bind
     * @param e the event
     * @return the next parameter index
     * @throws SQLException from the driver
     */
    public int bindEventValues(PreparedStatement ps, int first, JobEvent event) throws SQLException {
        JobEvent e = StoredText.clean(event);
        int i = first;
        values.setInstant(ps, i++, e.at());
        ps.setString(i++, e.type().wireName());
        SqlValues.setString(ps, i++, e.from() == null ? null : e.from().wireName());
        SqlValues.setString(ps, i++, e.to() == null ? null : e.to().wireName());
        ps.setString(i++, e.message());
        ps.setString(i++, SqlValues.json(e.data()));
        return i;
    }

    /**
     * @param rs a {@link JobSql#selectEvents()} result, on the row
     * @return the event
     * @throws SQLException from the driver
     */
    public JobEvent readEvent(ResultSet rs) throws SQLException {
        String from = rs.getString(4);
        String to = rs.getString(5);
        return new JobEvent(rs.getString(1), values.getRequiredInstant(rs, 2), JobEventType.fromWire(rs.getString(3)),
                from == null ? null : JobStatus.fromWire(from), to == null ? null : JobStatus.fromWire(to),
                rs.getString(6), SqlValues.getJsonObject(rs, 7));
    }

    /**
     * @param s a job
     * @return the job with every instant truncated to {@link SqlValues#PRECISION}, as a read returns it
     */
    public static StoredJob truncated(StoredJob s) {
        ProvisioningJob j = s.job();
        if (isTruncated(j.createdAt(), j.updatedAt(), j.startedAt(), j.finishedAt(), j.lastAcknowledgedAt(),
                j.deadline(), j.runStartedAt(), s.leaseUntil(), s.nextCheckAt(), s.launchPendingSince(),
                s.stop() == null ? null : s.stop().at(), s.stopSentAt())) {
            return s;
        }
        ProvisioningJob job = j.toBuilder()
                .createdAt(j.createdAt().truncatedTo(SqlValues.PRECISION))
                .updatedAt(j.updatedAt().truncatedTo(SqlValues.PRECISION))
                .startedAt(SqlValues.truncate(j.startedAt()))
                .finishedAt(SqlValues.truncate(j.finishedAt()))
                .lastAcknowledgedAt(SqlValues.truncate(j.lastAcknowledgedAt()))
                .deadline(SqlValues.truncate(j.deadline()))
                .runStartedAt(SqlValues.truncate(j.runStartedAt()))
                .build();
        StopRequest stop = s.stop();
        StopRequest truncatedStop = stop == null ? null
                : new StopRequest(stop.reason(), stop.requestedBy(), stop.message(), stop.at().truncatedTo(SqlValues.PRECISION));
        return new StoredJob(job, s.version(), s.leaseOwner(), SqlValues.truncate(s.leaseUntil()),
                SqlValues.truncate(s.nextCheckAt()), SqlValues.truncate(s.launchPendingSince()), truncatedStop,
                SqlValues.truncate(s.stopSentAt()), s.tenantStatusApplied());
    }
}
