package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.JobSql;
import com.dotmac.provisioning.jdbc.internal.SqlScript;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the job tables for hosts that do not run Flyway, from the same SQL that ships as Flyway migrations
 * ({@link JdbcDialect#migrationLocation()}, the files of {@link #MIGRATION_FILES} in order).
 *
 * <p>{@link #initialize()} first checks whether the tables are there (one cheap query each; the runs guard's row
 * too) and does nothing if they are. Otherwise it applies every script; every statement in them is idempotent
 * ({@code CREATE ... IF NOT EXISTS}, inserts that skip an existing row), so a script interrupted half-way (MySQL
 * commits each DDL statement), two nodes starting at once, or a schema made by an earlier version of this library
 * (the job tables without the runs guard of V2) end complete. On PostgreSQL and H2 the scripts run in one
 * transaction.
 *
 * <p>The initializer only creates what is missing; it never alters existing tables. Hosts that later adopt Flyway
 * point it at {@link JdbcDialect#flywayLocation()} with a history table of its own (e.g.
 * {@code tenant_provisioning_schema_history}) and {@code baselineOnMigrate} at the last version the initializer
 * applied ({@link #MIGRATION_FILES}).
 *
 * <p>Thread-safe; holds no connection between calls.
 */
public final class JdbcSchemaInitializer {
    /** The first migration file: the job and event tables. */
    public static final String MIGRATION_FILE = "V1__tenant_provisioning.sql";

    /** Every migration file of each dialect's folder, in the order they apply. */
    public static final List<String> MIGRATION_FILES = List.of(MIGRATION_FILE, "V2__runs_in_flight_guard.sql");

    private static final Set<String> UNDEFINED_TABLE = Set.of("42P01", "42S02", "42S03", "42S04");
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

    /** @return the SQL statements this initializer applies, in order (every migration file's) */
    public List<String> statements() {
        List<String> statements = new ArrayList<>();
        for (String file : MIGRATION_FILES) {
            statements.addAll(SqlScript.load(dialect.migrationLocation() + "/" + file));
        }
        return List.copyOf(statements);
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
                log.debug("tenant provisioning tables exist; nothing to create");
                return false;
            }
            List<String> statements = statements();
            try {
                if (dialect == JdbcDialect.MYSQL) {
                    apply(c, statements);
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
     * @return whether the job tables and the runs guard (with its row) exist (as the repository's unqualified names
     *     resolve them)
     * @throws DatabaseAccessException when the check fails for another reason than a missing table
     */
    public boolean tablesExist() {
        return new Jdbc(dataSource).call("look for the tenant provisioning tables", this::tablesExist);
    }

    private boolean tablesExist(Connection c) throws SQLException {
        return probe(c, "SELECT 1 FROM " + JobSql.JOBS + " WHERE 1 = 0", false)
                && probe(c, "SELECT 1 FROM " + JobSql.EVENTS + " WHERE 1 = 0", false)
                && probe(c, "SELECT id FROM " + JobSql.RUNS_GUARD + " WHERE id = 1", true);
    }

    /**
     * Runs a query on a table, in a transaction of its own so that a failure cannot spoil another.
     *
     * @return false when the table is missing, or when {@code needsRow} and the query returns no row
     */
    private static boolean probe(Connection c, String query, boolean needsRow) throws SQLException {
        try {
            return Jdbc.inTransaction(c, tx -> {
                try (Statement st = tx.createStatement(); ResultSet rs = st.executeQuery(query)) {
                    return !needsRow || rs.next();
                }
            });
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            // undefined table: 42P01 (PostgreSQL), 42S02 (MySQL, H2), 42S03 / 42S04 (H2 with hints)
            if (UNDEFINED_TABLE.contains(state)) {
                return false;
            }
            throw e;
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
