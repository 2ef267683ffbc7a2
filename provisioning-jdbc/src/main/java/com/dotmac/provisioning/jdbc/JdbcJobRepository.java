package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.jdbc.internal.Claimer;
import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.JobRows;
import com.dotmac.provisioning.jdbc.internal.JobSearchSql;
import com.dotmac.provisioning.jdbc.internal.JobSql;
import com.dotmac.provisioning.jdbc.internal.JobWriter;
import com.dotmac.provisioning.jdbc.internal.LeaseRenewer;
import com.dotmac.provisioning.jdbc.internal.OutboxStore;
import com.dotmac.provisioning.jdbc.internal.Purger;
import com.dotmac.provisioning.jdbc.internal.Rescheduler;
import com.dotmac.provisioning.jdbc.internal.RunsInFlightGuard;
import com.dotmac.provisioning.jdbc.internal.SqlValues;
import com.dotmac.provisioning.jdbc.internal.StatementTimeouts;
import com.dotmac.provisioning.jdbc.internal.StoredText;
import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.JobWrite;
import com.dotmac.provisioning.spi.JobWriteOutcome;
import com.dotmac.provisioning.spi.OutboxRecord;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link JobRepository} in the platform's own database (PostgreSQL, H2, MySQL 8 / MariaDB 10.6+), over
 * plain JDBC. Jobs live in {@code tenant_provisioning_jobs} and their timelines in
 * {@code tenant_provisioning_job_events}; create the tables with Flyway from
 * {@link JdbcDialect#flywayLocation()} or with {@link JdbcSchemaInitializer}.
 *
 * <pre>{@code
 * JobRepository jobs = new JdbcJobRepository(dataSource);            // dialect detected from the metadata
 * JobRepository jobs = new JdbcJobRepository(dataSource, JdbcDialect.POSTGRESQL);
 * JobRepository jobs = new JdbcJobRepository(dataSource, JdbcDialect.POSTGRESQL, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p><b>Guarantees.</b> The database enforces one active ({@code queued}/{@code in_progress}) job per tenant and
 * one job per (tenant, idempotency key) with unique indexes, so concurrent requests on several nodes cannot get
 * round them; a violation becomes an {@link ActiveJobConflictException} naming the active job, or returns the job
 * that holds the key. A job and its new events are written atomically: on PostgreSQL in one statement (a
 * data-modifying {@code WITH}, so no commit round trip), elsewhere in one transaction. Every write is
 * version-checked ({@code UPDATE ... WHERE id = ? AND version = ?}). Claims skip rows other claimers hold
 * ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL and MySQL; version-checked updates on H2), so two claims never
 * return the same job. {@link #reschedule} writes many jobs in one statement. {@link #commitIfRunsInFlightBelow}
 * serializes launches under the cap on runs in flight across nodes on a one-row guard table.
 * {@link #purgeFinished} deletes finished jobs with their events in one transaction (retention).
 *
 * <p><b>Event outbox</b> ({@link EventOutbox}, migration {@code V6__event_outbox.sql}). A table of its own,
 * {@code tenant_provisioning_outbox}, rather than the events table with a delivery cursor: a cursor over the events'
 * identity column would skip an event whose transaction got its id first but committed last, and a row per undelivered
 * event lets each carry its own delivery state (lease, attempts, back-off, the consumers that have it). Every write
 * whose new events change the job's status (creation included) inserts one row per change, with a new UUID as the
 * stable event id, in the same statement (PostgreSQL: the job, its events and its outbox rows in one data-modifying
 * {@code WITH}) or transaction (H2, MySQL); so a committed change has its row, and a write that rolls back or loses
 * its version check has none. A write that changes no status (most of a job's writes) costs no more than without the
 * outbox. Claims read the heads of the tenants' queues (a row with no older row of its tenant) and lease each with a
 * version-checked update, so two claimers never get one row and a tenant's events come out in order; a delivered row
 * is deleted. The outbox is opt-in: only a repository made by {@link #withOutbox()} writes its rows (a host
 * without event consumers pays nothing for it and keeps no table that only grows).
 *
 * <p><b>Text.</b> Any Java string a job or event carries is stored, on every database the same way: NUL (U+0000),
 * which PostgreSQL cannot store in {@code text} or {@code jsonb}, and an unpaired surrogate, which no driver here
 * encodes, become U+FFFD (the replacement character); every other character, other control characters included, is
 * kept. So run output full of control characters (a runner's failure detail, Ansible's output, artifacts) never
 * makes a write fail. A job returned by {@link #create} or {@link #commit} carries the replacements, as a later read
 * does; lookups by tenant or idempotency key apply the same replacement to what they look for.
 *
 * <p><b>Time.</b> Instants are stored as UTC whatever the JVM's or the session's time zone, truncated to
 * microseconds (a job returned by {@link #create} or {@link #commit} is truncated the same way, so it equals what
 * a later read returns). Lease expiry and due times are decided on the database's time: {@link #currentTime()}
 * reads it, and each engine aligns its clock to it (measured when it starts and on every lease heartbeat) before it
 * passes {@code now}, lease ends and due times; so a node whose clock runs ahead or behind neither takes over live
 * leases nor writes leases that have run out already (the times a job reports are on the database's time too). Keep
 * the nodes' clocks synchronised (NTP) all the same: their logs go by their own clocks.
 *
 * <p><b>Statement timeout.</b> Every statement gets a query timeout ({@link java.sql.Statement#setQueryTimeout},
 * {@link #DEFAULT_STATEMENT_TIMEOUT} unless the constructor says otherwise; zero for none), so a statement that
 * waits on a row lock another connection holds, or on an overloaded server, fails after the timeout with a
 * {@link DatabaseAccessException} whose message names what it was doing ("could not write provisioning job ...
 * within the statement timeout of 30 s"), instead of holding the engine's thread and connection for as long as the
 * lock lives; the engine retries the job later. PostgreSQL's driver cancels the statement (SQLState 57014);
 * MariaDB's driver runs it under {@code max_statement_time} and MySQL's kills it (both a
 * {@link java.sql.SQLTimeoutException}), before InnoDB's lock wait timeout (50 s by default) when the statement
 * timeout is shorter. H2 applies the query timeout to running statements, but a wait for a row lock ends by H2's
 * own {@code LOCK_TIMEOUT} instead (SQLState HYT00, error 50200; set it on the URL or the pool).
 *
 * <p>Thread-safe: one instance may be shared by any number of threads; it borrows a connection from the
 * {@link DataSource} per call and holds none between calls (use a pooled data source). Every value is a statement
 * parameter.
 */
public final class JdbcJobRepository implements JobRepository, EventOutbox {
    private static final Logger log = LoggerFactory.getLogger(JdbcJobRepository.class);
    /**
     * The default statement timeout: 30 s, far above what any statement of the engine takes on a healthy database,
     * well below the minutes a lock held by a forgotten transaction can last.
     */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_CREATE_ATTEMPTS = 5;
    /** The most ids one {@link #findAll} statement lists. */
    private static final int FIND_ALL_BATCH = 500;

    private final JdbcDialect dialect;
    private final Jdbc jdbc;
    private final JobSql sql;
    private final SqlValues values;
    private final JobRows rows;
    private final Claimer claimer;
    private final Rescheduler rescheduler;
    private final LeaseRenewer renewer;
    private final JobWriter writer;
    private final RunsInFlightGuard runsGuard;
    private final Purger purger;
    private final OutboxStore outbox;
    private final DataSource dataSource;
    private final Duration statementTimeout;
    private final boolean outboxOn;

    /**
     * A repository whose dialect is detected from the database (this opens one connection now), with the
     * {@link #DEFAULT_STATEMENT_TIMEOUT}.
     *
     * @param dataSource the database, preferably pooled
     * @throws DatabaseAccessException when no connection can be had
     * @throws IllegalArgumentException when the database is not supported
     */
    public JdbcJobRepository(DataSource dataSource) {
        this(dataSource, JdbcDialect.detect(Objects.requireNonNull(dataSource, "dataSource")));
    }

    /**
     * A repository with the {@link #DEFAULT_STATEMENT_TIMEOUT}.
     *
     * @param dataSource the database, preferably pooled
     * @param dialect its dialect
     */
    public JdbcJobRepository(DataSource dataSource, JdbcDialect dialect) {
        this(dataSource, dialect, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * @param dataSource the database, preferably pooled
     * @param dialect its dialect
     * @param statementTimeout the query timeout of every statement, rounded up to whole seconds; zero for none
     * @throws IllegalArgumentException when the timeout is negative
     */
    public JdbcJobRepository(DataSource dataSource, JdbcDialect dialect, Duration statementTimeout) {
        this(dataSource, dialect, statementTimeout, false);
    }

    private JdbcJobRepository(DataSource dataSource, JdbcDialect dialect, Duration statementTimeout,
            boolean outboxOn) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.statementTimeout = statementTimeout;
        this.outboxOn = outboxOn;
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.jdbc = new Jdbc(dataSource, StatementTimeouts.seconds(Objects.requireNonNull(statementTimeout,
                "statementTimeout")));
        this.sql = new JobSql(dialect);
        this.values = new SqlValues(dialect);
        this.rows = new JobRows(values);
        this.claimer = Claimer.forDialect(sql, rows);
        this.rescheduler = new Rescheduler(sql, values);
        this.renewer = new LeaseRenewer(sql, values);
        this.outbox = new OutboxStore(values);
        this.writer = new JobWriter(sql, rows, outboxOn ? outbox : null);
        this.runsGuard = new RunsInFlightGuard(sql, writer);
        this.purger = new Purger(dialect, values);
    }

    /**
     * A repository over the same database whose status changes are also stored as outbox events, for
     * {@link com.dotmac.provisioning.events.EventConsumer}s (make every node's repository this way; use
     * {@link JdbcRolloutRepository#withOutbox()} beside it for rollout events).
     *
     * @return the repository with the outbox writes
     */
    public JdbcJobRepository withOutbox() {
        return new JdbcJobRepository(dataSource, dialect, statementTimeout, true);
    }

    /** @return whether status changes write outbox rows (only when made by {@link #withOutbox()}) */
    public boolean writesOutbox() {
        return outboxOn;
    }

    @Override
    public boolean recordsEvents() {
        return outboxOn;
    }

    /** @return the dialect in use */
    public JdbcDialect dialect() {
        return dialect;
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public StoredJob create(StoredJob job, List<JobEvent> events) {
        Objects.requireNonNull(job, "job");
        List<JobEvent> toStore = List.copyOf(events);
        StoredJob stored = StoredText.clean(JobRows.truncated(job.withVersion(1)));
        return jdbc.call("create provisioning job " + job.id(), c -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    writer.insert(c, stored, toStore);
                    return stored;
                } catch (SQLException e) {
                    boolean unique = Jdbc.isUniqueViolation(e);
                    if ((!unique && !Jdbc.isRetryable(e)) || attempt >= MAX_CREATE_ATTEMPTS) {
                        throw e;
                    }
                    if (unique) {
                        Optional<StoredJob> winner = conflictWinner(c, job.job());
                        if (winner.isPresent()) {
                            return winner.get();
                        }
                    }
                    // the clashing job ended or its transaction rolled back meanwhile: try again
                }
            }
        });
    }

    /**
     * After a unique violation: the job holding the idempotency key (returned), or the active job (thrown as a
     * conflict); empty when neither exists any more.
     */
    private Optional<StoredJob> conflictWinner(Connection c, ProvisioningJob job) throws SQLException {
        if (job.idempotencyKey() != null) {
            Optional<StoredJob> existing = queryOne(c, sql.selectByIdempotencyKey(), job.tenantId(),
                    job.idempotencyKey());
            if (existing.isPresent()) {
                return existing;
            }
        }
        if (job.status().isActive()) {
            Optional<StoredJob> active = queryOne(c, sql.selectActive(), job.tenantId());
            if (active.isPresent()) {
                throw new ActiveJobConflictException(job.tenantId(), active.get().id());
            }
        }
        if (queryOne(c, sql.selectById(), job.id()).isPresent()) {
            throw new IllegalStateException("provisioning job " + job.id() + " already exists");
        }
        return Optional.empty();
    }

    @Override
    public Optional<StoredJob> find(String jobId) {
        return jdbc.call("read provisioning job", c -> queryOne(c, sql.selectById(), jobId));
    }

    @Override
    public Optional<StoredJob> findActive(String tenantId) {
        return jdbc.call("read the active provisioning job of a tenant", c -> queryOne(c, sql.selectActive(),
                tenantId));
    }

    @Override
    public Optional<StoredJob> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        return jdbc.call("read a provisioning job by idempotency key",
                c -> queryOne(c, sql.selectByIdempotencyKey(), tenantId, idempotencyKey));
    }

    /**
     * {@inheritDoc} One {@code SELECT ... WHERE id IN (...)} per {@value #FIND_ALL_BATCH} distinct ids, on one
     * connection.
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public List<StoredJob> findAll(Collection<String> jobIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(jobIds));
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.call("read " + ids.size() + " provisioning job(s)", c -> {
            List<StoredJob> found = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += FIND_ALL_BATCH) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + FIND_ALL_BATCH));
                try (PreparedStatement ps = c.prepareStatement(sql.selectByIds(batch.size()))) {
                    for (int i = 0; i < batch.size(); i++) {
                        ps.setString(i + 1, batch.get(i));
                    }
                    found.addAll(rows.readAll(ps));
                }
            }
            return found;
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code page} or {@code pageSize} is below 1
     */
    @Override
    public JobPage page(String tenantId, int page, int pageSize) {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1");
        }
        long offset = (long) (page - 1) * pageSize;
        return jdbc.call("list the provisioning jobs of a tenant", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement(sql.countByTenant())) {
                ps.setString(1, StoredText.cleanText(tenantId));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<ProvisioningJob> items = new ArrayList<>();
            if (offset < total) {
                try (PreparedStatement ps = c.prepareStatement(sql.pageByTenant())) {
                    ps.setString(1, StoredText.cleanText(tenantId));
                    ps.setInt(2, pageSize);
                    ps.setLong(3, offset);
                    rows.readAll(ps).forEach(s -> items.add(s.job()));
                }
            }
            return new JobPage(items, total, page, pageSize);
        });
    }

    /**
     * @throws IllegalArgumentException when {@code page} or {@code pageSize} is below 1
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public JobPage search(JobQuery query, int page, int pageSize) {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1");
        }
        long offset = (long) (page - 1) * pageSize;
        JobSearchSql where = JobSearchSql.of(query);
        return jdbc.call("search provisioning jobs", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement(sql.countWhere(where.sql()))) {
                where.bind(ps, 1, values);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<ProvisioningJob> items = new ArrayList<>();
            if (offset < total) {
                try (PreparedStatement ps = c.prepareStatement(sql.pageWhere(where.sql()))) {
                    int next = where.bind(ps, 1, values);
                    ps.setInt(next, pageSize);
                    ps.setLong(next + 1, offset);
                    rows.readAll(ps).forEach(s -> items.add(s.job()));
                }
            }
            return new JobPage(items, total, page, pageSize);
        });
    }

    @Override
    public List<StoredJob> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return jdbc.call("claim due provisioning jobs", c -> claimer.claimDue(c, owner, now, leaseUntil, limit));
    }

    @Override
    public Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil) {
        return jdbc.call("claim provisioning job " + jobId, c -> claimer.claim(c, jobId, owner, now, leaseUntil));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
        Objects.requireNonNull(job, "job");
        List<JobEvent> toStore = List.copyOf(newEvents);
        StoredJob stored = StoredText.clean(JobRows.truncated(job.withVersion(job.version() + 1)));
        return jdbc.call("write provisioning job " + job.id(), c -> {
            if (writer.update(c, stored, job.version(), toStore)) {
                return stored;
            }
            if (exists(c, job.id())) {
                throw new StaleJobException(job.id(), job.version());
            }
            throw new JobNotFoundException(job.id());
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Two writes or more are one transaction: on PostgreSQL one JDBC batch of the single-statement job writes (in
     * the order of the jobs' ids, so that two batches lock rows in the same order), elsewhere each job's statements;
     * every job's update is version-checked on its own, and each job not written is then told apart as stale or
     * missing by one read. When the transaction fails as a whole (nothing was written), the jobs are written one by
     * one as {@link #commit} writes them, so that one bad job does not fail the others.
     *
     * @throws DatabaseAccessException never for one job: each job's failure is its outcome
     */
    @Override
    public List<JobWriteOutcome> commitAll(List<JobWrite> writes) {
        if (writes.size() < 2) {
            return JobRepository.super.commitAll(writes);
        }
        List<JobWrite> ordered = new ArrayList<>(writes);
        ordered.sort(Comparator.comparing(w -> w.job().id()));
        List<StoredJob> stored = new ArrayList<>(ordered.size());
        List<Long> versions = new ArrayList<>(ordered.size());
        List<List<JobEvent>> events = new ArrayList<>(ordered.size());
        for (JobWrite w : ordered) {
            stored.add(StoredText.clean(JobRows.truncated(w.job().withVersion(w.job().version() + 1))));
            versions.add(w.job().version());
            events.add(w.newEvents());
        }
        boolean[] written;
        try {
            written = jdbc.call("write " + ordered.size() + " provisioning jobs",
                    c -> writer.updateAll(c, stored, versions, events));
        } catch (RuntimeException e) {
            log.debug("could not write {} provisioning jobs in one transaction ({}); writing them one by one",
                    ordered.size(), e.toString());
            return JobRepository.super.commitAll(writes);
        }
        Map<String, JobWriteOutcome> byId = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            String id = stored.get(i).id();
            byId.put(id, written[i] ? JobWriteOutcome.written(stored.get(i))
                    : JobWriteOutcome.failed(id, notWritten(id, versions.get(i))));
        }
        return writes.stream().map(w -> byId.get(w.job().id())).toList();
    }

    /** Why a version-checked write changed no row: the job changed since it was read, or it does not exist. */
    private RuntimeException notWritten(String jobId, long version) {
        try {
            return jdbc.call("read provisioning job " + jobId, c -> exists(c, jobId))
                    ? new StaleJobException(jobId, version) : new JobNotFoundException(jobId);
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: it locks the one row of {@code tenant_provisioning_runs_guard} (migration
     * {@code V2__runs_in_flight_guard.sql}) with {@code SELECT ... FOR UPDATE}, counts the other runs in flight and
     * writes the job, version-checked; so such writes from every node are serialized, and plain writes are not held
     * back.
     *
     * @throws DatabaseAccessException when the database fails, or the guard table or its row is missing
     */
    @Override
    public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap) {
        Objects.requireNonNull(job, "job");
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, was " + cap);
        }
        List<JobEvent> toStore = List.copyOf(newEvents);
        StoredJob stored = StoredText.clean(JobRows.truncated(job.withVersion(job.version() + 1)));
        return jdbc.call("write provisioning job " + job.id() + " under the cap on runs in flight", c ->
                switch (runsGuard.commitIfBelow(c, stored, job.version(), toStore, cap)) {
                    case WRITTEN -> Optional.of(stored);
                    case REFUSED -> Optional.<StoredJob>empty();
                    case NOT_WRITTEN -> {
                        if (exists(c, job.id())) {
                            throw new StaleJobException(job.id(), job.version());
                        }
                        throw new JobNotFoundException(job.id());
                    }
                });
    }

    @Override
    public int reschedule(Collection<StoredJob> jobs, Instant nextCheckAt) {
        if (jobs.isEmpty()) {
            return 0;
        }
        List<StoredJob> list = List.copyOf(jobs);
        return jdbc.call("reschedule " + list.size() + " provisioning job(s)",
                c -> rescheduler.reschedule(c, list, nextCheckAt));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
        Objects.requireNonNull(owner, "owner");
        if (jobIds.isEmpty()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(jobIds));
        return jdbc.call("renew " + ids.size() + " provisioning job lease(s)",
                c -> renewer.renew(c, ids, owner, leaseUntil));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement: PostgreSQL {@code SELECT clock_timestamp()}, H2 {@code SELECT CURRENT_TIMESTAMP(6)},
     * MySQL/MariaDB {@code SELECT UTC_TIMESTAMP(6)}; the same instant whatever the JVM's or the session's time zone.
     *
     * @return the database's current time (never empty)
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public Optional<Instant> currentTime() {
        return Optional.of(jdbc.call("read the database's current time", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.currentTime());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return values.getRequiredInstant(rs, 1);
            }
        }));
    }

    @Override
    public List<JobEvent> events(String jobId) {
        return jdbc.call("read the events of provisioning job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectEvents())) {
                ps.setString(1, jobId);
                List<JobEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(rows.readEvent(rs));
                    }
                }
                return events;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Selects the oldest qualifying jobs (skipping rows another node's purge holds, on PostgreSQL and MySQL) and
     * deletes them by id with every condition checked again, in one transaction; their events go with them
     * ({@code ON DELETE CASCADE}).
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public int purgeFinished(Instant finishedBefore, Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return jdbc.call("purge finished provisioning jobs", c -> purger.purge(c, finishedBefore, now, limit));
    }

    @Override
    public long countRunsInFlight() {
        return jdbc.call("count provisioning runs in flight", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.countRunsInFlight())) {
                ps.setString(1, JobStatus.IN_PROGRESS.wireName());
                ps.setString(2, JobStatus.QUEUED.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     * @throws RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public long countDue(Instant now) {
        return jdbc.call("count due provisioning jobs", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.countDue())) {
                rows.values().bindDue(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * {@inheritDoc} A read of the heads and one batch of version-checked lease updates.
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public List<OutboxRecord> claimEvents(String owner, Instant now, Instant leaseUntil, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1) {
            return List.of();
        }
        return jdbc.call("claim outbox events", c -> outbox.claim(c, owner, now, leaseUntil, limit));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public boolean eventDelivered(OutboxRecord claimed) {
        return jdbc.call("delete delivered outbox event " + claimed.event().id(), c -> outbox.delete(c, claimed));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public boolean eventDeliveryFailed(OutboxRecord claimed, Set<String> deliveredTo, Instant retryAt) {
        return jdbc.call("record a failed delivery of outbox event " + claimed.event().id(),
                c -> outbox.fail(c, claimed, deliveredTo, retryAt));
    }

    @Override
    public long countUndeliveredEvents() {
        return jdbc.call("count outbox events", outbox::count);
    }

    private boolean exists(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.jobExists())) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Optional<StoredJob> queryOne(Connection c, String query, @Nullable String... parameters)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, StoredText.clean(parameters[i]));
            }
            return rows.readAll(ps).stream().findFirst();
        }
    }

    /** @return the class and dialect; never connection details */
    @Override
    public String toString() {
        return "JdbcJobRepository[" + dialect + "]";
    }
}
