package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code WHERE} condition of a {@link JobQuery}: fixed column names joined by {@code AND}, every value a
 * statement parameter. Immutable.
 *
 * @param sql the condition, {@code 1=1} when the query matches every job
 * @param texts the text parameters, in order
 * @param instants the time parameters after them, in order
 */
public record JobSearchSql(String sql, List<String> texts, List<Instant> instants) {
    /** Copies the parameters. */
    public JobSearchSql {
        texts = List.copyOf(texts);
        instants = List.copyOf(instants);
    }

    /**
     * @param query the query
     * @return its condition
     */
    public static JobSearchSql of(JobQuery query) {
        List<String> parts = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        String tenantId = query.tenantId();
        if (tenantId != null) {
            parts.add("tenant_id = ?");
            texts.add(StoredText.cleanText(tenantId));
        }
        JobStatus status = query.status();
        if (status != null) {
            parts.add("status = ?");
            texts.add(status.wireName());
        }
        Operation operation = query.operation();
        if (operation != null) {
            parts.add("operation = ?");
            texts.add(operation.wireName());
        }
        String errorCode = query.errorCode();
        if (errorCode != null) {
            parts.add("error_code = ?");
            texts.add(StoredText.cleanText(errorCode));
        }
        List<Instant> instants = new ArrayList<>();
        Instant createdSince = query.createdSince();
        if (createdSince != null) {
            parts.add("created_at >= ?");
            instants.add(createdSince);
        }
        Instant createdBefore = query.createdBefore();
        if (createdBefore != null) {
            parts.add("created_at < ?");
            instants.add(createdBefore);
        }
        Instant finishedSince = query.finishedSince();
        if (finishedSince != null) {
            parts.add("finished_at >= ?");
            instants.add(finishedSince);
        }
        return new JobSearchSql(parts.isEmpty() ? "1=1" : String.join(" AND ", parts), texts, instants);
    }

    /**
     * Binds the parameters.
     *
     * @param ps the statement
     * @param first the index of the first parameter
     * @param values the dialect's values
     * @return the index after the last one bound
     * @throws SQLException when binding fails
     */
    public int bind(PreparedStatement ps, int first, SqlValues values) throws SQLException {
        int i = first;
        for (String t : texts) {
            ps.setString(i++, t);
        }
        for (Instant t : instants) {
            values.setInstant(ps, i++, t);
        }
        return i;
    }
}
