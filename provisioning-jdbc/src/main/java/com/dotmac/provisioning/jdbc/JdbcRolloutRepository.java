package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.MemberCounts;
import com.dotmac.provisioning.jdbc.internal.MemberWriter;
import com.dotmac.provisioning.jdbc.internal.OutboxStore;
import com.dotmac.provisioning.jdbc.internal.RolloutClaimer;
import com.dotmac.provisioning.jdbc.internal.RolloutRows;
import com.dotmac.provisioning.jdbc.internal.RolloutSql;
import com.dotmac.provisioning.jdbc.internal.SqlValues;
import com.dotmac.provisioning.jdbc.internal.StatementTimeouts;
import com.dotmac.provisioning.jdbc.internal.StoredText;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPage;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A durable {@link RolloutRepository} in the platform's own database (PostgreSQL, H2, MySQL 8 / MariaDB 10.6+),
 * beside {@link JdbcJobRepository}, over plain JDBC. Rollouts live in {@code tenant_provisioning_rollouts}, their
 * members in {@code tenant_provisioning_rollout_members} and their timelines in
 * {@code tenant_provisioning_rollout_events} (migration {@code V4__rollouts.sql}; create them with Flyway from
 * {@link JdbcDialect#flywayLocation()} or with {@link JdbcSchemaInitializer}).
 *
 * <pre>{@code
 * RolloutRepository rollouts = new JdbcRolloutRepository(dataSource);          // dialect detected
 * RolloutRepository rollouts = new JdbcRolloutRepository(dataSource, JdbcDialect.POSTGRESQL);
 * }</pre>
 *
 * <p><b>Statements.</b> {@link #create} stores the rollout, its members and its first events in one transaction,
 * the members in JDBC batches of {@value MemberWriter#BATCH} rows: 10,000 members cost about 20 statement
 * executions, not 10,000. {@link #updateMembers} batches the same way, in one transaction. {@link #members} and
 * {@link #countMembers} are one statement each; {@link #find}, {@link #claimDue} and {@link #commit} read the member
 * counts with one {@code GROUP BY} more.
 *
 * <p><b>Guarantees.</b> Claims skip rows other claimers hold, as the job claim does ({@code FOR UPDATE SKIP LOCKED}
 * on PostgreSQL and MySQL; version-checked updates on H2), so two claims never return the same rollout. A
 * rollout write and its events are one transaction, version-checked ({@code UPDATE ... WHERE id = ? AND version =
 * ?}); a lost check is a {@link StaleRolloutException} and writes nothing.
 *
 * <p><b>Events</b> (opt-in: {@link #withOutbox()}). A write whose events change the rollout's status (its creation
 * included) also stores one outbox row per change ({@link ProvisioningEvent#ofRolloutWrite}, types {@code rollout.<status>}) in the same transaction,
 * in the table {@link JdbcJobRepository} delivers from (migration {@code V6__event_outbox.sql}); a rollout's events
 * are delivered in order, as a tenant's job events are.
 *
 * <p><b>Values.</b> Instants are stored as UTC, truncated to microseconds (a rollout returned by {@link #create},
 * {@link #commit} or {@link #claimDue} is truncated the same way); the pause between waves is kept in milliseconds.
 * Strings are stored as {@link JdbcJobRepository} stores them (NUL and unpaired surrogates become U+FFFD).
 *
 * <p><b>Idempotency and timeouts.</b> A rollout created with an idempotency key holds it for ever (a unique index,
 * migration {@code V5__rollout_idempotency_key.sql}): a second create with the key stores nothing and returns the
 * first rollout. Every statement has a query timeout ({@link #DEFAULT_STATEMENT_TIMEOUT} unless the constructor
 * says otherwise), as in {@link JdbcJobRepository}.
 *
 * <p>Thread-safe: one instance may be shared by any number of threads; it borrows a connection from the
 * {@link DataSource} per call and holds none between calls (use a pooled data source). Every value is a statement
 * parameter.
 */
public final class JdbcRolloutRepository implements RolloutRepository {
    /** Default statement timeout: {@link JdbcJobRepository#DEFAULT_STATEMENT_TIMEOUT}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = JdbcJobRepository.DEFAULT_STATEMENT_TIMEOUT;
    /** Creates tried when a clashing rollout with the same idempotency key is not committed yet. */
    private static final int MAX_CREATE_ATTEMPTS = 5;

    private final JdbcDialect dialect;
    private final Jdbc jdbc;
    private final RolloutSql sql;
    private final RolloutRows rows;
    private final MemberCounts counts;
    private final MemberWriter writer;
    private final RolloutClaimer claimer;
    private final OutboxStore outbox;
    private final DataSource dataSource;
    private final Duration statementTimeout;
    private final boolean outboxOn;

    /**
     * A repository whose dialect is detected from the database (this opens one connection now).
     *
     * @param dataSource the database, preferably pooled
     * @throws DatabaseAccessException when no connection can be had
     * @throws IllegalArgumentException when the database is not supported
     */
    public JdbcRolloutRepository(DataSource dataSource) {
        this(dataSource, JdbcDialect.detect(Objects.requireNonNull(dataSource, "dataSource")));
    }

    /**
     * A repository with the {@link #DEFAULT_STATEMENT_TIMEOUT}.
     *
     * @param dataSource the database, preferably pooled
     * @param dialect its dialect
     */
    public JdbcRolloutRepository(DataSource dataSource, JdbcDialect dialect) {
        this(dataSource, dialect, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * @param dataSource the database, preferably pooled
     * @param dialect its dialect
     * @param statementTimeout the query timeout of every statement, rounded up to whole seconds; zero for none
     * @throws IllegalArgumentException when the timeout is negative
     */
    public JdbcRolloutRepository(DataSource dataSource, JdbcDialect dialect, Duration statementTimeout) {
        this(dataSource, dialect, statementTimeout, false);
    }

    private JdbcRolloutRepository(DataSource dataSource, JdbcDialect dialect, Duration statementTimeout,
            boolean outboxOn) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.statementTimeout = statementTimeout;
        this.outboxOn = outboxOn;
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.jdbc = new Jdbc(dataSource, StatementTimeouts.seconds(Objects.requireNonNull(statementTimeout,
                "statementTimeout")));
        this.sql = new RolloutSql(dialect);
        this.rows = new RolloutRows(new SqlValues(dialect));
        this.outbox = new OutboxStore(new SqlValues(dialect));
        this.counts = new MemberCounts(sql);
        this.writer = new MemberWriter(sql, rows);
        this.claimer = new RolloutClaimer(sql, rows, counts);
    }

    /**
     * A repository over the same database whose rollout status changes are also stored as outbox events (for a host
     * with event consumers; use it beside {@link JdbcJobRepository#withOutbox()}).
     *
     * @return the repository with the outbox writes
     */
    public JdbcRolloutRepository withOutbox() {
        return new JdbcRolloutRepository(dataSource, dialect, statementTimeout, true);
    }

    /** @return whether rollout status changes write outbox rows (only when made by {@link #withOutbox()}) */
    public boolean writesOutbox() {
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
    public StoredRollout create(StoredRollout rollout, List<RolloutMember> members, List<RolloutEvent> events) {
        Objects.requireNonNull(rollout, "rollout");
        List<RolloutMember> newMembers = List.copyOf(members);
        List<RolloutEvent> newEvents = List.copyOf(events);
        StoredRollout stored = RolloutRows.truncated(rollout.withVersion(1));
        String key = StoredText.clean(rollout.idempotencyKey());
        return jdbc.call("create rollout " + rollout.id(), c -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    Jdbc.inTransaction(c, tx -> {
                        try (PreparedStatement ps = tx.prepareStatement(sql.insertRollout())) {
                            ps.setString(1, rollout.id());
                            int i = rows.bindAllButId(ps, 2, stored, 1);
                            SqlValues.setString(ps, i, key);
                            ps.executeUpdate();
                        }
                        writer.insert(tx, newMembers);
                        writer.appendEvents(tx, newEvents);
                        insertOutbox(tx, newEvents);
                    });
                    break;
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e) || attempt >= MAX_CREATE_ATTEMPTS) {
                        throw e;
                    }
                    if (exists(c, rollout.id())) {
                        throw new IllegalArgumentException("rollout " + rollout.id() + " exists");
                    }
                    Optional<StoredRollout> first = key == null ? Optional.empty() : byKey(c, key);
                    if (first.isPresent()) {
                        return first.get();
                    }
                    if (key == null) {
                        throw e;
                    }
                    // the rollout holding the key was not committed yet when this one clashed with it: look again
                }
            }
            Map<RolloutMemberStatus, Long> byStatus = new EnumMap<>(RolloutMemberStatus.class);
            newMembers.forEach(m -> byStatus.merge(m.status(), 1L, Long::sum));
            return RolloutRows.withCounts(stored, byStatus);
        });
    }

    @Override
    public Optional<StoredRollout> findByIdempotencyKey(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return jdbc.call("read a rollout by idempotency key", c -> byKey(c, StoredText.cleanText(idempotencyKey)));
    }

    private Optional<StoredRollout> byKey(Connection c, String key) throws SQLException {
        Optional<StoredRollout> found;
        try (PreparedStatement ps = c.prepareStatement(sql.selectByIdempotencyKey())) {
            ps.setString(1, key);
            found = readAll(ps).stream().findFirst();
        }
        if (found.isEmpty()) {
            return found;
        }
        return Optional.of(RolloutRows.withCounts(found.get(), counts.of(c, found.get().id(), null)));
    }

    @Override
    public Optional<StoredRollout> find(String rolloutId) {
        return jdbc.call("read rollout " + rolloutId, c -> {
            Optional<StoredRollout> found;
            try (PreparedStatement ps = c.prepareStatement(sql.selectById())) {
                ps.setString(1, rolloutId);
                found = readAll(ps).stream().findFirst();
            }
            if (found.isEmpty()) {
                return found;
            }
            return Optional.of(RolloutRows.withCounts(found.get(), counts.of(c, rolloutId, null)));
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code page} is negative or {@code pageSize} below 1
     */
    @Override
    public RolloutPage page(int page, int pageSize) {
        if (page < 0 || pageSize < 1) {
            throw new IllegalArgumentException("page starts at 0 and pageSize at 1");
        }
        long offset = (long) page * pageSize;
        return jdbc.call("list rollouts", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement(sql.countRollouts()); ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Rollout> items = new ArrayList<>();
            if (offset < total) {
                List<StoredRollout> found;
                try (PreparedStatement ps = c.prepareStatement(sql.page())) {
                    ps.setInt(1, pageSize);
                    ps.setLong(2, offset);
                    found = readAll(ps);
                }
                Map<String, Map<RolloutMemberStatus, Long>> byRollout = found.isEmpty() ? Map.of()
                        : counts.of(c, found.stream().map(StoredRollout::id).toList());
                for (StoredRollout s : found) {
                    items.add(RolloutRows.withCounts(s, byRollout.getOrDefault(s.id(), Map.of())).rollout());
                }
            }
            return new RolloutPage(items, total, page, pageSize);
        });
    }

    @Override
    public List<StoredRollout> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1) {
            return List.of();
        }
        return jdbc.call("claim due rollouts", c -> claimer.claimDue(c, owner, now, leaseUntil, limit));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public StoredRollout commit(StoredRollout rollout, List<RolloutEvent> events) {
        Objects.requireNonNull(rollout, "rollout");
        List<RolloutEvent> newEvents = List.copyOf(events);
        StoredRollout stored = RolloutRows.truncated(rollout.withVersion(rollout.version() + 1));
        return jdbc.call("write rollout " + rollout.id(), c -> Jdbc.inTransaction(c, tx -> {
            try (PreparedStatement ps = tx.prepareStatement(sql.updateRollout())) {
                int i = rows.bindAllButId(ps, 1, stored, stored.version());
                ps.setString(i++, rollout.id());
                ps.setLong(i, rollout.version());
                if (ps.executeUpdate() != 1) {
                    throw new StaleRolloutException(rollout.id(), rollout.version());
                }
            }
            writer.appendEvents(tx, newEvents);
            insertOutbox(tx, newEvents);
            return RolloutRows.withCounts(stored, counts.of(tx, rollout.id(), null));
        }));
    }

    @Override
    public List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status, @Nullable Integer wave,
            int offset, int limit) {
        if (offset < 0 || limit < 1) {
            return List.of();
        }
        return jdbc.call("read the members of rollout " + rolloutId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectMembers(status != null, wave != null))) {
                int i = 1;
                ps.setString(i++, rolloutId);
                if (status != null) {
                    ps.setString(i++, status.wireName());
                }
                if (wave != null) {
                    ps.setInt(i++, wave);
                }
                ps.setInt(i++, limit);
                ps.setInt(i, offset);
                List<RolloutMember> members = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.add(rows.readMember(rs));
                    }
                }
                return members;
            }
        });
    }

    /**
     * {@inheritDoc} One transaction, in batches of {@value MemberWriter#BATCH}.
     *
     * @throws IllegalArgumentException when a member is not in its rollout at its position (nothing is written)
     * @throws DatabaseAccessException when the database fails
     */
    @Override
    public void updateMembers(Collection<RolloutMember> members) {
        if (members.isEmpty()) {
            return;
        }
        List<RolloutMember> list = List.copyOf(members);
        jdbc.call("write " + list.size() + " rollout member(s)", c -> Jdbc.inTransaction(c, tx -> {
            RolloutMember missing = writer.update(tx, list);
            if (missing != null) {
                throw new IllegalArgumentException("rollout " + missing.rolloutId() + " has no member "
                        + missing.tenantId() + " at position " + missing.position());
            }
            return Boolean.TRUE;
        }));
    }

    @Override
    public Map<RolloutMemberStatus, Long> countMembers(String rolloutId, @Nullable Integer wave) {
        return jdbc.call("count the members of rollout " + rolloutId, c -> counts.of(c, rolloutId, wave));
    }

    @Override
    public List<RolloutEvent> events(String rolloutId) {
        return jdbc.call("read the events of rollout " + rolloutId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectEvents())) {
                ps.setString(1, rolloutId);
                List<RolloutEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(rows.readEvent(rs));
                    }
                }
                return events;
            }
        });
    }

    private boolean exists(Connection c, String rolloutId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.rolloutExists())) {
            ps.setString(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private List<StoredRollout> readAll(PreparedStatement ps) throws SQLException {
        List<StoredRollout> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(rows.read(rs, Map.of()));
            }
        }
        return list;
    }

    /** @return the class and dialect; never connection details */
    @Override
    public String toString() {
        return "JdbcRolloutRepository[" + dialect + "]";
    }

    private void insertOutbox(Connection tx, List<RolloutEvent> newEvents) throws SQLException {
        if (!outboxOn) {
            return;
        }
        List<ProvisioningEvent> out = ProvisioningEvent.ofRolloutWrite(newEvents);
        if (!out.isEmpty()) {
            outbox.insert(tx, out);
        }
    }
}
