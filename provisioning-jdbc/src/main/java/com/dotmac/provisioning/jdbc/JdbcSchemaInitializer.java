package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.internal.Jdbc;
import com.dotmac.provisioning.jdbc.internal.JobSql;
import com.dotmac.provisioning.jdbc.internal.SqlScript;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the job tables for hosts that do not run Flyway, from the same SQL that ships as Flyway migrations
 * ({@link JdbcDialect#migrationLocation()}, file {@value #MIGRATION_FILE}).
 *
 * <p>{@link #initialize()} first checks whether both tables are there (one cheap query each) and does nothing if
 * they are. Otherwise it applies the whole script; every statement in it is idempotent
 * ({@code CREATE ... IF NOT EXISTS}), so a script interrupted half-way (MySQL commits each DDL statement) or two
 * nodes starting at once leave a complete schema. On PostgreSQL and H2 the script runs in one transaction.
 *
 * <p>The initializer only creates a missing schema; it never alters existing tables. Hosts that later adopt Flyway
 * point it at {@link JdbcDialect#flywayLocation()} with a history table of its own (e.g.
 * {@code tenant_provisioning_schema_history}) and {@code baselineOnMigrate} at version 1.
 *
 * <p>Thread-safe; holds no connection between calls.
 */
public final class JdbcSchemaInitializer {
    /** The migration file holding the whole schema. */
    public static final String MIGRATION_FILE = "V1__tenant_provisioning.sql";

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

    /** @return the SQL statements this initializer applies, in order */
    public List<String> statements() {
        return SqlScript.load(dialect.migrationLocation() + "/" + MIGRATION_FILE);
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
     * @return whether both job tables exist (as the repository's unqualified names resolve them)
     * @throws DatabaseAccessException when the check fails for another reason than a missing table
     */
    public boolean tablesExist() {
        return new Jdbc(dataSource).call("look for the tenant provisioning tables", this::tablesExist);
    }

    private boolean tablesExist(Connection c) throws SQLException {
        return probe(c, JobSql.JOBS) && probe(c, JobSql.EVENTS);
    }

    /** Asks for no rows of a table, in a transaction of its own so that a failure cannot spoil another. */
    private static boolean probe(Connection c, String table) throws SQLException {
        try {
            return Jdbc.inTransaction(c, tx -> {
                try (Statement st = tx.createStatement()) {
                    st.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
                    return true;
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
