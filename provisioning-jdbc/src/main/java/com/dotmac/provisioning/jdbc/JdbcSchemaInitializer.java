package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.JobSql;
import com.dotmac.provisioning.jdbc.internal.OutboxSql;
import com.dotmac.provisioning.jdbc.internal.RolloutSql;
import com.dotmac.provisioning.jdbc.internal.SqlScript;
import com.dotmac.provisioning.jdbc.internal.WebhookDeliverySql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the job tables for hosts that do not run Flyway, from the same SQL that ships as Flyway migrations
 * ({@link JdbcDialect#migrationLocation()}, the files of {@link #MIGRATIONS} in order, starting with
 * {@value #MIGRATION_FILE}).
 *
 * <p>{@link #initialize()} first checks whether both tables are there (one cheap query each). Otherwise it applies
 * every script; every statement that creates is idempotent ({@code CREATE ... IF NOT EXISTS}), so a script
 * interrupted half-way (MySQL commits each DDL statement) or two nodes starting at once leave a complete schema. On
 * PostgreSQL and H2 the scripts run in one transaction.
 *
 * <p>When the tables are there, each later migration (the runs guard of {@code V2__runs_in_flight_guard.sql}, the
 * column of {@code V3__run_started_at.sql}, the rollout tables of {@code V4__rollouts.sql}, the rollouts'
 * idempotency key of {@code V5__rollout_idempotency_key.sql}, the event outbox of {@code V6__event_outbox.sql}, the
 * webhook delivery queue of {@code V7__webhook_deliveries.sql}, the jobs' traceparent column of
 * {@code V8__traceparent.sql}) is applied only when a cheap probe finds what it adds
 * missing, so that a schema this initializer created with an earlier version of the library gains them; every
 * statement of those files is idempotent too (on MySQL, which has no {@code ADD COLUMN IF NOT EXISTS}, the probe
 * alone decides), and nothing else is ever altered. Hosts that later adopt Flyway point it at
 * {@link JdbcDialect#flywayLocation()} with a history table of its own (e.g.
 * {@code tenant_provisioning_schema_history}) and {@code baselineOnMigrate} at the last version the initializer
 * applied (the last of {@link #MIGRATIONS}).
 *
 * <p>Thread-safe; holds no connection between calls.
 */
public final class JdbcSchemaInitializer {
    /** The migration file that creates the tables. */
    public static final String MIGRATION_FILE = "V1__tenant_provisioning.sql";

    /**
     * A shipped migration: its file and, for one that adds to existing tables, a query that finds whether it was
     * applied.
     *
     * @param file the file name in the dialect's folder
     * @param probe a query that fails (a missing table or column) or returns no row until the migration was applied,
     *     and returns a row after; null for the first
     */
    public record Migration(String file, @Nullable String probe) {
        /** Checks the file name. */
        public Migration {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Every shipped migration, in the order applied. */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(MIGRATION_FILE, null),
            new Migration("V2__runs_in_flight_guard.sql", "SELECT id FROM " + JobSql.RUNS_GUARD + " WHERE id = 1"),
            new Migration("V3__run_started_at.sql", "SELECT COUNT(run_started_at) FROM " + JobSql.JOBS),
            new Migration("V4__rollouts.sql", "SELECT COUNT(*) FROM " + RolloutSql.EVENTS),
            new Migration("V5__rollout_idempotency_key.sql", "SELECT COUNT(" + RolloutSql.KEY_COLUMN + ") FROM "
                    + RolloutSql.ROLLOUTS),
            new Migration("V6__event_outbox.sql", "SELECT COUNT(*) FROM " + OutboxSql.OUTBOX),
            new Migration("V7__webhook_deliveries.sql", "SELECT COUNT(*) FROM " + WebhookDeliverySql.DELIVERIES),
            new Migration("V8__traceparent.sql", "SELECT COUNT(traceparent) FROM " + JobSql.JOBS));

    private static final Set<String> UNDEFINED = Set.of("42P01", "42S02", "42S03", "42S04", "42703", "42S22",
            "42122");
    private static final Logger log = LoggerFactory.getLogger(JdbcSchemaInitializer.class);

    private final DataSource dataSource;
    private final JdbcDialect dialect;

    /**
     * An initializer whose dialect is detected from the database (this opens one connection now).
     *
     * @param dataSource the database
     * @throws DatabaseAccessException when no connection can be had
     * @throws IllegalArgumentException when the database is not supported
     */
    public JdbcSchemaInitializer(DataSource dataSource) {
        this(dataSource, JdbcDialect.detect(Objects.requireNonNull(dataSource, "dataSource")));
    }

    /**
     * @param dataSource the database
     * @param dialect its dialect
     */
    public JdbcSchemaInitializer(DataSource dataSource, JdbcDialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** @return the SQL statements this initializer applies to an empty schema, in order (every migration's) */
    public List<String> statements() {
        List<String> statements = new ArrayList<>();
        for (Migration m : MIGRATIONS) {
            statements.addAll(statements(m));
        }
        return statements;
    }

    private List<String> statements(Migration m) {
        return SqlScript.load(dialect.migrationLocation() + "/" + m.file());
    }

    /**
     * Creates the tables when they are missing.
     *
     * @return whether the script was applied ({@code false}: the tables were already there)
     * @throws DatabaseAccessException when the database refuses a statement
     */
    public boolean initialize() {
        return new Jdbc(dataSource).call("create the tenant provisioning tables", c -> {
            if (tablesExist(c)) {
                upgrade(c);
                return false;
            }
            List<String> statements = statements();
            try {
                if (dialect == JdbcDialect.MYSQL) {
                    applyEach(c);
                } else {
                    Jdbc.inTransaction(c, tx -> {
                        apply(tx, statements);
                    });
                }
            } catch (SQLException e) {
                if (tablesExist(c)) {
                    // another node created them at the same moment (PostgreSQL can report that as a clash)
                    log.info("tenant provisioning tables were created concurrently by another node");
                    return false;
                }
                throw e;
            }
            log.info("created the tenant provisioning tables ({}, {} statements)", dialect, statements.size());
            return true;
        });
    }

    /**
     * @return whether both job tables exist (as the repository's unqualified names resolve them)
     * @throws DatabaseAccessException when the check fails for another reason than a missing table
     */
    public boolean tablesExist() {
        return new Jdbc(dataSource).call("look for the tenant provisioning tables", this::tablesExist);
    }

    private boolean tablesExist(Connection c) throws SQLException {
        return probe(c, "SELECT COUNT(*) FROM " + JobSql.JOBS + " WHERE 1 = 0")
                && probe(c, "SELECT COUNT(*) FROM " + JobSql.EVENTS + " WHERE 1 = 0");
    }

    /**
     * Runs a query, in a transaction of its own so that a failure cannot spoil another.
     *
     * @return whether it returned a row; false also when it names a missing table or column
     */
    private static boolean probe(Connection c, String query) throws SQLException {
        try {
            return Jdbc.inTransaction(c, tx -> {
                try (Statement st = tx.createStatement(); ResultSet rs = st.executeQuery(query)) {
                    return rs.next();
                }
            });
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            // undefined table: 42P01 (PostgreSQL), 42S02 (MySQL, H2), 42S03 / 42S04 (H2 with hints);
            // undefined column: 42703 (PostgreSQL), 42S22 (MySQL, H2), 42122 (H2)
            if (UNDEFINED.contains(state)) {
                return false;
            }
            throw e;
        }
    }

    /** Applies each later migration whose probe finds what it adds missing. */
    private void upgrade(Connection c) throws SQLException {
        int applied = 0;
        for (Migration m : MIGRATIONS) {
            String probe = m.probe();
            if (probe == null || probe(c, probe)) {
                continue;
            }
            try {
                apply(c, statements(m));
            } catch (SQLException e) {
                if (!probe(c, probe)) {
                    throw e;
                }
                // another node applied it at the same moment
            }
            log.info("applied {} to the existing tenant provisioning tables ({})", m.file(), dialect);
            applied++;
        }
        if (applied == 0) {
            log.debug("tenant provisioning tables exist and are current; nothing to create");
        }
    }

    /**
     * Applies every migration to an empty MySQL schema, one after the other (MySQL commits each DDL statement): a
     * node that finds the first tables while this one is still creating the rest upgrades them at the same moment,
     * so a later migration that fails here because that node applied it (its probe now finds it) is skipped.
     */
    private void applyEach(Connection c) throws SQLException {
        for (Migration m : MIGRATIONS) {
            try {
                apply(c, statements(m));
            } catch (SQLException e) {
                if (m.probe() == null || !probe(c, m.probe())) {
                    throw e;
                }
                log.debug("{} was applied by another node at the same moment", m.file());
            }
        }
    }

    private static void apply(Connection c, List<String> statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcSchemaInitializer[" + dialect + "]";
    }
}
