package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a job together with its new events, atomically. On PostgreSQL that is one statement (a data-modifying
 * {@code WITH}, see {@link JobSql#withEvents}); elsewhere the job statement and one batch of events in a
 * transaction. A write without events is a single statement everywhere.
 *
 * <p>With the outbox on, a write whose events change the job's status also inserts their outbox rows
 * ({@link ProvisioningEvent#ofJobWrite}) in the same statement (PostgreSQL) or transaction (elsewhere); a write that
 * changes no status costs what it did without the outbox. Stateless and thread-safe.
 */
public final class JobWriter {
    private final JobSql sql;
    private final JobRows rows;
    private final boolean singleStatement;
    private final @Nullable OutboxStore outbox;
    /** The single-statement SQL for 1..{@value #CACHED} events, built once. */
    private final String[] insertWithEvents = new String[CACHED + 1];
    private final String[] updateWithEvents = new String[CACHED + 1];
    private static final int CACHED = 4;

    /**
     * @param sql the dialect's SQL
     * @param rows the row mapping
     * @param outbox the outbox rows' mapping; null to write no outbox rows
     */
    public JobWriter(JobSql sql, JobRows rows, @Nullable OutboxStore outbox) {
        this.sql = sql;
        this.rows = rows;
        this.outbox = outbox;
        this.singleStatement = sql.dialect() == JdbcDialect.POSTGRESQL;
        for (int n = 1; n <= CACHED && singleStatement; n++) {
            insertWithEvents[n] = sql.withEvents(sql.insertJob(), n);
            updateWithEvents[n] = sql.withEvents(sql.updateJob(), n);
        }
    }

    private String statement(String plain, String[] cache, int events, int outboxRows) {
        if (events == 0) {
            return plain;
        }
        if (outboxRows > 0) {
            return sql.withEventsAndOutbox(plain, events, outboxRows);
        }
        return events <= CACHED ? cache[events] : sql.withEvents(plain, events);
    }

    private List<ProvisioningEvent> outboxRows(StoredJob stored, List<JobEvent> events) {
        return outbox == null ? List.of() : ProvisioningEvent.ofJobWrite(stored.job(), events);
    }

    private int bindOutbox(PreparedStatement ps, int first, List<ProvisioningEvent> out) throws SQLException {
        int i = first;
        for (ProvisioningEvent e : out) {
            i = Objects.requireNonNull(outbox, "rows only when the outbox is on").bind(ps, i, e);
        }
        return i;
    }

    private void insertOutbox(Connection tx, List<ProvisioningEvent> out) throws SQLException {
        if (!out.isEmpty()) {
            Objects.requireNonNull(outbox, "rows only when the outbox is on").insert(tx, out);
        }
    }

    /**
     * Inserts a new job and its events.
     *
     * @param c a connection in auto-commit mode
     * @param stored the job as it is to be stored (version 1)
     * @param events its first events
     * @throws SQLException from the driver, e.g. a unique violation
     */
    public void insert(Connection c, StoredJob stored, List<JobEvent> events) throws SQLException {
        List<ProvisioningEvent> out = outboxRows(stored, events);
        if (events.isEmpty() || singleStatement) {
            String statement = statement(sql.insertJob(), insertWithEvents, events.size(), out.size());
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                ps.setString(1, stored.id());
                int next = rows.bindAllButId(ps, 2, stored, stored.version());
                bindOutbox(ps, bindEvents(ps, next, events), out);
                ps.executeUpdate();
            }
            return;
        }
        Jdbc.inTransaction(c, tx -> {
            try (PreparedStatement ps = tx.prepareStatement(sql.insertJob())) {
                ps.setString(1, stored.id());
                rows.bindAllButId(ps, 2, stored, stored.version());
                ps.executeUpdate();
            }
            insertEvents(tx, events);
            insertOutbox(tx, out);
        });
    }

    /**
     * Writes a changed job and its events if the stored version still matches.
     *
     * @param c a connection in auto-commit mode
     * @param stored the job as it is to be stored (with its next version)
     * @param expectedVersion the version it was read with
     * @param events the events to append
     * @return whether the job was written (false: version mismatch or no such job; nothing was written)
     * @throws SQLException from the driver
     */
    public boolean update(Connection c, StoredJob stored, long expectedVersion, List<JobEvent> events)
            throws SQLException {
        if (events.isEmpty() || singleStatement) {
            List<ProvisioningEvent> out = outboxRows(stored, events);
            String statement = statement(sql.updateJob(), updateWithEvents, events.size(), out.size());
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                int next = bindUpdate(ps, stored, expectedVersion);
                bindOutbox(ps, bindEvents(ps, next, events), out);
                return ps.executeUpdate() > 0;
            }
        }
        return Jdbc.inTransaction(c, tx -> {
            return updateInTransaction(tx, stored, expectedVersion, events);
        });
    }

    /**
     * Writes a changed job and its events if the stored version still matches, as part of a transaction the caller
     * opened (and commits or rolls back).
     *
     * @param tx a connection in a transaction (auto-commit off)
     * @param stored the job as it is to be stored (with its next version)
     * @param expectedVersion the version it was read with
     * @param events the events to append
     * @return whether the job was written (false: version mismatch or no such job; nothing was written)
     * @throws SQLException from the driver
     */
    public boolean updateInTransaction(Connection tx, StoredJob stored, long expectedVersion, List<JobEvent> events)
            throws SQLException {
        List<ProvisioningEvent> out = outboxRows(stored, events);
        if (events.isEmpty() || singleStatement) {
            String statement = statement(sql.updateJob(), updateWithEvents, events.size(), out.size());
            try (PreparedStatement ps = tx.prepareStatement(statement)) {
                int next = bindUpdate(ps, stored, expectedVersion);
                bindOutbox(ps, bindEvents(ps, next, events), out);
                return ps.executeUpdate() > 0;
            }
        }
        try (PreparedStatement ps = tx.prepareStatement(sql.updateJob())) {
            bindUpdate(ps, stored, expectedVersion);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        insertEvents(tx, events);
        insertOutbox(tx, out);
        return true;
    }

    /**
     * Writes many changed jobs with their events in one transaction, each only if its stored version still matches:
     * on PostgreSQL one JDBC batch per statement shape (the job's update with its events, and outbox rows, in one
     * statement per job), elsewhere each job as {@link #updateInTransaction} writes it. A job whose version does not
     * match is not written; the others are. The caller's connection is in auto-commit mode.
     *
     * @param c a connection in auto-commit mode
     * @param stored the jobs as they are to be stored (each with its next version), at most one per job
     * @param expectedVersions the versions they were read with, in the same order
     * @param events the events to append to each, in the same order
     * @return per job, in order, whether it was written
     * @throws SQLException from the driver (then nothing was written), or when the driver does not report the rows
     *     each statement of a batch changed
     */
    public boolean[] updateAll(Connection c, List<StoredJob> stored, List<Long> expectedVersions,
            List<List<JobEvent>> events) throws SQLException {
        return Jdbc.inTransaction(c, tx -> {
            boolean[] written = new boolean[stored.size()];
            if (!singleStatement) {
                for (int i = 0; i < stored.size(); i++) {
                    written[i] = updateInTransaction(tx, stored.get(i), expectedVersions.get(i), events.get(i));
                }
                return written;
            }
            Map<String, List<Integer>> byStatement = new LinkedHashMap<>();
            List<List<ProvisioningEvent>> outs = new ArrayList<>(stored.size());
            for (int i = 0; i < stored.size(); i++) {
                List<ProvisioningEvent> out = outboxRows(stored.get(i), events.get(i));
                outs.add(out);
                byStatement.computeIfAbsent(statement(sql.updateJob(), updateWithEvents, events.get(i).size(),
                        out.size()), k -> new ArrayList<>()).add(i);
            }
            for (Map.Entry<String, List<Integer>> group : byStatement.entrySet()) {
                try (PreparedStatement ps = tx.prepareStatement(group.getKey())) {
                    for (int i : group.getValue()) {
                        int next = bindUpdate(ps, stored.get(i), expectedVersions.get(i));
                        bindOutbox(ps, bindEvents(ps, next, events.get(i)), outs.get(i));
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    for (int k = 0; k < counts.length; k++) {
                        if (counts[k] == Statement.SUCCESS_NO_INFO) {
                            throw new SQLException("the driver did not report the rows a batched job write changed");
                        }
                        written[group.getValue().get(k)] = counts[k] > 0;
                    }
                }
            }
            return written;
        });
    }

    private int bindUpdate(PreparedStatement ps, StoredJob stored, long expectedVersion) throws SQLException {
        int i = rows.bindAllButId(ps, 1, stored, stored.version());
        ps.setString(i++, stored.id());
        ps.setLong(i++, expectedVersion);
        return i;
    }

    private int bindEvents(PreparedStatement ps, int first, List<JobEvent> events) throws SQLException {
        int i = first;
        for (JobEvent e : events) {
            i = rows.bindEventValues(ps, i, e);
        }
        return i;
    }

    private void insertEvents(Connection c, List<JobEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.insertEvent())) {
            if (events.size() == 1) {
                bindEvent(ps, events.get(0));
                ps.executeUpdate();
                return;
            }
            for (JobEvent e : events) {
                bindEvent(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void bindEvent(PreparedStatement ps, JobEvent e) throws SQLException {
        ps.setString(1, e.jobId());
        rows.bindEventValues(ps, 2, e);
    }
}
