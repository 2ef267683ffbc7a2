package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.StoredRollout;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Maps rollouts, members and rollout events to statement parameters and back, in the column orders of
 * {@link RolloutSql}. Enums are stored as their wire names; lists of wave sizes and percentages as their numbers
 * separated by commas; the pause between waves in milliseconds. Every string is made storable by
 * {@link StoredText} before it is bound. Immutable.
 */
public final class RolloutRows {
    private final SqlValues values;

    /** @param values the dialect's value conversions */
    public RolloutRows(SqlValues values) {
        this.values = values;
    }

    /** @return the dialect's value conversions */
    public SqlValues values() {
        return values;
    }

    // ---- rollouts -------------------------------------------------------------------------------------------------

    /**
     * Binds every column after {@code id}, in {@link RolloutSql#COLUMNS} order.
     *
     * @param ps the statement
     * @param first the first parameter index
     * @param s the rollout
     * @param version the version to store
     * @return the next parameter index
     * @throws SQLException from the driver
     */
    public int bindAllButId(PreparedStatement ps, int first, StoredRollout s, long version) throws SQLException {
        Rollout r = s.rollout();
        MemberJobSpec jobs = r.jobs();
        RolloutPlan plan = r.plan();
        int i = first;
        ps.setString(i++, jobs.operation().wireName());
        SqlValues.setString(ps, i++, jobs.deploymentMode() == null ? null : jobs.deploymentMode().wireName());
        SqlValues.setString(ps, i++, StoredText.clean(jobs.releaseVersion()));
        ps.setString(i++, SqlValues.json(StoredText.clean(jobs.extraVars())));
        SqlValues.setLong(ps, i++, jobs.templateId());
        ps.setString(i++, StoredText.cleanText(jobs.requestedBy()));
        ps.setInt(i++, plan.canary());
        ps.setString(i++, numbers(plan.waveSizes()));
        ps.setString(i++, numbers(plan.wavePercents()));
        ps.setInt(i++, plan.maxParallel());
        ps.setInt(i++, plan.failureThreshold().maxFailures());
        ps.setInt(i++, plan.failureThreshold().maxFailedPercent());
        ps.setLong(i++, plan.pauseBetweenWaves().toMillis());
        ps.setString(i++, StoredText.cleanText(r.selection()));
        ps.setString(i++, r.status().wireName());
        SqlValues.setString(ps, i++, StoredText.clean(r.statusReason()));
        ps.setString(i++, numbers(r.waveSizes()));
        ps.setInt(i++, r.currentWave());
        values.setInstant(ps, i++, r.createdAt());
        values.setInstant(ps, i++, r.updatedAt());
        values.setInstant(ps, i++, r.finishedAt());
        ps.setLong(i++, version);
        SqlValues.setString(ps, i++, StoredText.clean(s.leaseOwner()));
        values.setInstant(ps, i++, s.leaseUntil());
        values.setInstant(ps, i++, s.nextCheckAt());
        return i;
    }

    /**
     * Reads a rollout from a row holding {@link RolloutSql#COLUMNS} in order, then {@link RolloutSql#KEY_COLUMN}.
     *
     * @param rs the result set, on the row
     * @param counts its members by status
     * @return the rollout
     * @throws SQLException from the driver
     */
    public StoredRollout read(ResultSet rs, Map<RolloutMemberStatus, Long> counts) throws SQLException {
        String mode = rs.getString(3);
        MemberJobSpec jobs = new MemberJobSpec(Operation.fromWire(rs.getString(2)),
                mode == null ? null : DeploymentMode.fromWire(mode), rs.getString(4),
                SqlValues.getJsonObject(rs, 5), SqlValues.getLong(rs, 6), rs.getString(7));
        RolloutPlan plan = new RolloutPlan(rs.getInt(8), numbers(rs.getString(9)), numbers(rs.getString(10)),
                rs.getInt(11), new FailureThreshold(rs.getInt(12), rs.getInt(13)), Duration.ofMillis(rs.getLong(14)));
        Rollout rollout = new Rollout(rs.getString(1), jobs, rs.getString(15), plan,
                RolloutStatus.fromWire(rs.getString(16)), rs.getString(17), numbers(rs.getString(18)), rs.getInt(19),
                counts, values.getRequiredInstant(rs, 20), values.getRequiredInstant(rs, 21),
                values.getInstant(rs, 22));
        return new StoredRollout(rollout, rs.getLong(23), rs.getString(24), values.getInstant(rs, 25),
                values.getInstant(rs, 26), rs.getString(27));
    }

    /**
     * @param s a rollout
     * @param counts its members by status
     * @return it with those counts
     */
    public static StoredRollout withCounts(StoredRollout s, Map<RolloutMemberStatus, Long> counts) {
        Rollout r = s.rollout();
        return s.withRollout(new Rollout(r.id(), r.jobs(), r.selection(), r.plan(), r.status(), r.statusReason(),
                r.waveSizes(), r.currentWave(), counts, r.createdAt(), r.updatedAt(), r.finishedAt()));
    }

    /**
     * @param s a rollout about to be written
     * @return it with every instant truncated to {@link SqlValues#PRECISION}, as a later read returns it
     */
    public static StoredRollout truncated(StoredRollout s) {
        Rollout r = s.rollout();
        Rollout rollout = new Rollout(r.id(), r.jobs(), r.selection(), r.plan(), r.status(), r.statusReason(),
                r.waveSizes(), r.currentWave(), r.members(), r.createdAt().truncatedTo(SqlValues.PRECISION),
                r.updatedAt().truncatedTo(SqlValues.PRECISION), SqlValues.truncate(r.finishedAt()));
        return new StoredRollout(rollout, s.version(), s.leaseOwner(), SqlValues.truncate(s.leaseUntil()),
                SqlValues.truncate(s.nextCheckAt()), s.idempotencyKey());
    }

    // ---- members --------------------------------------------------------------------------------------------------

    /**
     * Binds a member for {@link RolloutSql#insertMember()}.
     *
     * @param ps the statement
     * @param m the member
     * @throws SQLException from the driver
     */
    public void bindMember(PreparedStatement ps, RolloutMember m) throws SQLException {
        ps.setString(1, m.rolloutId());
        ps.setString(2, StoredText.cleanText(m.tenantId()));
        ps.setInt(3, m.position());
        ps.setInt(4, m.wave());
        ps.setInt(5, m.attempt());
        ps.setString(6, m.status().wireName());
        SqlValues.setString(ps, 7, m.jobId());
        SqlValues.setString(ps, 8, StoredText.clean(m.errorCode()));
        SqlValues.setString(ps, 9, StoredText.clean(m.errorMessage()));
        values.setInstant(ps, 10, m.updatedAt());
    }

    /**
     * Binds a member for {@link RolloutSql#updateMember()}.
     *
     * @param ps the statement
     * @param m the member as it is now
     * @throws SQLException from the driver
     */
    public void bindMemberUpdate(PreparedStatement ps, RolloutMember m) throws SQLException {
        ps.setInt(1, m.attempt());
        ps.setString(2, m.status().wireName());
        SqlValues.setString(ps, 3, m.jobId());
        SqlValues.setString(ps, 4, StoredText.clean(m.errorCode()));
        SqlValues.setString(ps, 5, StoredText.clean(m.errorMessage()));
        values.setInstant(ps, 6, m.updatedAt());
        ps.setString(7, m.rolloutId());
        ps.setInt(8, m.position());
        ps.setString(9, StoredText.cleanText(m.tenantId()));
    }

    /**
     * @param rs a row holding {@link RolloutSql#MEMBER_COLUMNS} in order
     * @return the member
     * @throws SQLException from the driver
     */
    public RolloutMember readMember(ResultSet rs) throws SQLException {
        return new RolloutMember(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                RolloutMemberStatus.fromWire(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                values.getRequiredInstant(rs, 10));
    }

    // ---- events ---------------------------------------------------------------------------------------------------

    /**
     * Binds an event for {@link RolloutSql#insertEvent()}.
     *
     * @param ps the statement
     * @param e the event
     * @throws SQLException from the driver
     */
    public void bindEvent(PreparedStatement ps, RolloutEvent e) throws SQLException {
        ps.setString(1, e.rolloutId());
        values.setInstant(ps, 2, e.at());
        ps.setString(3, e.type().wireName());
        SqlValues.setString(ps, 4, e.from() == null ? null : e.from().wireName());
        SqlValues.setString(ps, 5, e.to() == null ? null : e.to().wireName());
        ps.setString(6, StoredText.cleanText(e.message()));
        ps.setString(7, SqlValues.json(StoredText.clean(e.data())));
    }

    /**
     * @param rs a {@link RolloutSql#selectEvents()} row
     * @return the event
     * @throws SQLException from the driver
     */
    public RolloutEvent readEvent(ResultSet rs) throws SQLException {
        String from = rs.getString(4);
        String to = rs.getString(5);
        return new RolloutEvent(rs.getString(1), values.getRequiredInstant(rs, 2),
                RolloutEventType.fromWire(rs.getString(3)), from == null ? null : RolloutStatus.fromWire(from),
                to == null ? null : RolloutStatus.fromWire(to), rs.getString(6), SqlValues.getJsonObject(rs, 7));
    }

    // ---- lists of numbers -----------------------------------------------------------------------------------------

    /**
     * @param numbers whole numbers
     * @return them separated by commas, e.g. {@code 2,50,48}; empty for none
     */
    static String numbers(List<Integer> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * @param text {@link #numbers(List)} text, or null
     * @return the numbers; empty for empty text or null
     */
    static List<Integer> numbers(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String[] parts = text.split(",");
        List<Integer> list = new ArrayList<>(parts.length);
        for (String p : parts) {
            list.add(Integer.valueOf(p.trim()));
        }
        return list;
    }
}
