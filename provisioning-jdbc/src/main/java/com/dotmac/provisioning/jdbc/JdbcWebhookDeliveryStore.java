package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.StatementTimeouts;
import com.dotmac.provisioning.jdbc.internal.StoredText;
import com.dotmac.provisioning.jdbc.internal.WebhookDeliveryRows;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A durable {@link WebhookDeliveryStore} in the platform's own database (PostgreSQL, H2, MySQL 8 / MariaDB 10.6+),
 * over plain JDBC: the table {@code tenant_provisioning_webhook_delivery} (migration
 * {@code V7__webhook_deliveries.sql}; create it with Flyway from {@link JdbcDialect#flywayLocation()} or with
 * {@link JdbcSchemaInitializer}, which adds it to tables it created before).
 *
 * <pre>{@code
 * WebhookDeliveryStore deliveries = new JdbcWebhookDeliveryStore(dataSource);   // dialect detected
 * WebhookDeliveryStore deliveries = new JdbcWebhookDeliveryStore(dataSource, JdbcDialect.POSTGRESQL,
 *         Duration.ofSeconds(10));
 * }</pre>
 *
 * <p><b>How.</b> One row per (subscription, event), unique on (event id, subscription); the event is kept in the
 * outbox's columns (id, type, tenant, job, rollout, time, JSON data), written and read the same way. An enqueue is
 * one transaction: a read of the event's rows, then one insert batch for the subscriptions that lack it (a unique
 * violation, from another node enqueuing the same event at the same moment, is retried and then finds that node's
 * rows). A claim reads the due heads of the queues (a queue's head: its live row with the lowest sequence) and leases
 * each with a version-checked update in one batch, as the outbox's claim does, so two claimers never get one row. The
 * read costs about one index probe per live queue, not per waiting delivery, so a dead receiver's backlog does not
 * slow the other queues' claims: on PostgreSQL a recursive skip scan over a partial index of the live rows, on
 * MySQL/MariaDB a loose index scan ({@code MIN(sequence) ... GROUP BY}); H2 reads that index once. Measured with
 * 20,000 deliveries waiting behind one head (the benchmark-tagged {@code WebhookBacklogBenchmarkTest}): a claim of
 * another queue's head takes under 1 ms on PostgreSQL, about 4 ms on MariaDB and 10 ms on H2. Every write
 * after a claim is {@code ... WHERE sequence = ? AND version = ?}; a delivered row is deleted. A redelivery is one
 * transaction (the update and the read of the row).
 *
 * <p><b>Values.</b> Instants are stored as UTC, truncated to microseconds; strings as {@link JdbcJobRepository}
 * stores them (NUL and unpaired surrogates become U+FFFD). {@code lastError} keeps at most
 * {@value WebhookDeliveryRows#MAX_ERROR_LENGTH} characters (the port asks for a short text).
 *
 * <p><b>Statement timeout.</b> Every statement has a query timeout ({@link #DEFAULT_STATEMENT_TIMEOUT}, the
 * {@code provisioning.jdbc.statement-timeout} of the Spring starter, unless the constructor says otherwise), as in
 * {@link JdbcJobRepository}.
 *
 * <p>Thread-safe and safe across nodes: one instance may be shared by any number of threads; it borrows a connection
 * from the {@link DataSource} per call and holds none between calls (use a pooled data source). Every value is a
 * statement parameter.
 */
public final class JdbcWebhookDeliveryStore implements WebhookDeliveryStore {
    /** Default statement timeout: {@link JdbcJobRepository#DEFAULT_STATEMENT_TIMEOUT} (30 s). */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = JdbcJobRepository.DEFAULT_STATEMENT_TIMEOUT;

    /** How often an enqueue that met another node's identical enqueue is tried again. */
    private static final int MAX_ENQUEUE_ATTEMPTS = 3;

    private final JdbcDialect dialect;
    private final Jdbc jdbc;
    private final WebhookDeliveryRows rows;

    /**
     * A store whose dialect is detected from the database (this opens one connection now), with the
     * {@link #DEFAULT_STATEMENT_TIMEOUT}.
     *
     * @param dataSource the database, preferably pooled
     * @throws DatabaseAccessException when no connection can be had
     * @throws IllegalArgumentException when the database is not supported
     */
    public JdbcWebhookDeliveryStore(DataSource dataSource) {
        this(dataSource, JdbcDialect.detect(Objects.requireNonNull(dataSource, "dataSource")));
    }

    /**
     * A store with the {@link #DEFAULT_STATEMENT_TIMEOUT}.
     *
     * @param dataSource the database, preferably pooled
     * @param dialect its dialect
     */
    public JdbcWebhookDeliveryStore(DataSource dataSource, JdbcDialect dialect) {
        this(dataSource, dialect, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * @param dataSource the database, preferably pooled
     * @param dialect its dialect
     * @param statementTimeout the query timeout of every statement, rounded up to whole seconds; zero for none
     * @throws IllegalArgumentException when the timeout is negative
     */
    public JdbcWebhookDeliveryStore(DataSource dataSource, JdbcDialect dialect, Duration statementTimeout) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"),
                StatementTimeouts.seconds(Objects.requireNonNull(statementTimeout, "statementTimeout")));
        this.rows = new WebhookDeliveryRows(dialect);
    }

    /**
     * {@inheritDoc} One transaction (a read and one insert batch); nothing when every subscription has it already.
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public void enqueue(ProvisioningEvent event, Collection<String> subscriptions, Instant now) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        if (subscriptions.isEmpty()) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        subscriptions.forEach(s -> names.add(StoredText.cleanText(s)));
        jdbc.call("enqueue webhook deliveries of event " + event.id(), c -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return rows.enqueue(c, event, names, now);
                } catch (SQLException e) {
                    if (attempt >= MAX_ENQUEUE_ATTEMPTS || !Jdbc.isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
        });
    }

    /**
     * {@inheritDoc} A read of the heads and one batch of version-checked lease updates.
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public List<WebhookDelivery> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1) {
            return List.of();
        }
        return jdbc.call("claim due webhook deliveries", c -> rows.claim(c, owner, now, leaseUntil, limit));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public boolean delivered(WebhookDelivery claimed) {
        return jdbc.call("delete delivered webhook delivery " + claimed.id(), c -> rows.delete(c, claimed));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public boolean retryLater(WebhookDelivery claimed, Instant retryAt, String lastError) {
        Objects.requireNonNull(retryAt, "retryAt");
        Objects.requireNonNull(lastError, "lastError");
        return jdbc.call("record a failed attempt of webhook delivery " + claimed.id(),
                c -> rows.fail(c, claimed, lastError, retryAt, false));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public boolean deadLetter(WebhookDelivery claimed, String lastError, Instant at) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(lastError, "lastError");
        return jdbc.call("make webhook delivery " + claimed.id() + " a dead letter",
                c -> rows.fail(c, claimed, lastError, at, true));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the offset is negative
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public List<WebhookDelivery> deadLetters(@Nullable String subscription, int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (limit < 1) {
            return List.of();
        }
        return jdbc.call("list webhook dead letters", c -> rows.deadLetters(c, subscription, offset, limit));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public long countDeadLetters(@Nullable String subscription) {
        return jdbc.call("count webhook dead letters", c -> rows.countDeadLetters(c, subscription));
    }

    /**
     * {@inheritDoc} One transaction: the update and the read of the row.
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public Optional<WebhookDelivery> redeliver(String deliveryId, Instant now) {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(now, "now");
        return jdbc.call("redeliver a webhook dead letter",
                c -> rows.redeliver(c, StoredText.cleanText(deliveryId), now));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DatabaseAccessException when the database fails
     * @throws com.dotmac.provisioning.spi.RepositoryUnavailableException when it cannot be reached
     */
    @Override
    public long countPending() {
        return jdbc.call("count pending webhook deliveries", rows::countPending);
    }

    /** @return the class and dialect; never connection details */
    @Override
    public String toString() {
        return "JdbcWebhookDeliveryStore[" + dialect + "]";
    }
}
