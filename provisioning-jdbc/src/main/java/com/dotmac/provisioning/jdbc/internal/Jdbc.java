package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.jdbc.DatabaseAccessException;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Borrows a connection per call and runs work on it, in a transaction when asked, every statement with the
 * statement timeout when there is one; classifies SQL errors: a connection that cannot be had or is lost
 * ({@link #isUnavailable}) is a {@link RepositoryUnavailableException}, any other failure a
 * {@link DatabaseAccessException}. Thread-safe; holds no connection between calls.
 */
public final class Jdbc {
    private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

    /** MySQL's and MariaDB's error code for a duplicate key. */
    private static final int MYSQL_DUPLICATE_KEY = 1062;
    /** PostgreSQL's admin shutdown, crash shutdown and "cannot connect now" (starting up or shutting down). */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");
    /**
     * Connection failures that an outage does not end: the database does not exist (H2's 90146 and 90149,
     * PostgreSQL's 3D000) or the credentials are refused (28000, PostgreSQL's 28P01). They stay
     * {@link DatabaseAccessException}s: a configuration to fix, not a database to wait for.
     */
    private static final Set<String> NOT_AN_OUTAGE = Set.of("90146", "90149", "3D000", "28000", "28P01");

    private final DataSource dataSource;
    private final int statementTimeoutSeconds;

    /** @param dataSource where connections come from; statements have no timeout */
    public Jdbc(DataSource dataSource) {
        this(dataSource, 0);
    }

    /**
     * @param dataSource where connections come from
     * @param statementTimeoutSeconds the query timeout of every statement made in {@link #call}, in seconds; zero
     *     for none
     */
    public Jdbc(DataSource dataSource, int statementTimeoutSeconds) {
        if (statementTimeoutSeconds < 0) {
            throw new IllegalArgumentException("statementTimeoutSeconds must not be negative");
        }
        this.dataSource = dataSource;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    /**
     * Work on a connection.
     *
     * @param <T> the result
     */
    @FunctionalInterface
    public interface SqlWork<T> {
        /**
         * @param c the connection (auto-commit unless in a transaction)
         * @return the result
         * @throws SQLException from the driver
         */
        T run(Connection c) throws SQLException;
    }

    /** Work on a connection that has no result. */
    @FunctionalInterface
    public interface SqlAction {
        /**
         * @param c the connection (in a transaction)
         * @throws SQLException from the driver
         */
        void run(Connection c) throws SQLException;
    }

    /**
     * Runs work on a borrowed connection and returns the connection.
     *
     * @param action what is done, for the error message (e.g. {@code "read job"})
     * @param work the work
     * @param <T> its result
     * @return the result
     * @throws RepositoryUnavailableException when no connection could be had or it was lost ({@link #isUnavailable})
     * @throws DatabaseAccessException wrapping any other {@link SQLException}; when a statement ran out of the
     *     statement timeout, its message says so ({@code could not <action> within the statement timeout of N s})
     */
    public <T> T call(String action, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(StatementTimeouts.withTimeout(c, statementTimeoutSeconds));
        } catch (SQLException e) {
            if (statementTimeoutSeconds > 0 && StatementTimeouts.isTimeout(e)) {
                throw new DatabaseAccessException(action + " within the statement timeout of "
                        + statementTimeoutSeconds + " s", e);
            }
            throw translate(action, e);
        }
    }

    /**
     * @param action what was being done, e.g. {@code "claim due jobs"}
     * @param e the driver's or the pool's exception
     * @return the exception to throw: {@link RepositoryUnavailableException} when the database cannot be reached,
     *     else {@link DatabaseAccessException}; the message names the action and the SQLState, never a URL
     */
    public static RuntimeException translate(String action, SQLException e) {
        if (isUnavailable(e)) {
            return new RepositoryUnavailableException("could not " + action + ": the database cannot be reached ("
                    + e.getClass().getSimpleName() + ", SQLState " + e.getSQLState() + ")", e);
        }
        return new DatabaseAccessException(action, e);
    }

    /**
     * Whether a failure says the database cannot be reached rather than anything about the statement: a connection
     * exception of JDBC (transient, such as a pool's "connection is not available", or not), SQLState class 08
     * (connection exception), or PostgreSQL's 57P01/57P02/57P03 (the server shuts down or is not ready yet); also
     * when an exception chained to it says so. Not when any exception of the chain says the database does not exist or
     * refuses the credentials ({@link #NOT_AN_OUTAGE}).
     *
     * @param e a driver's or pool's exception
     * @return whether the same call may succeed once the database is back
     */
    public static boolean isUnavailable(SQLException e) {
        int seen = 0;
        for (Throwable t = e; t != null && seen < 10; t = t.getCause(), seen++) {
            if (t instanceof SQLException x && x.getSQLState() != null && NOT_AN_OUTAGE.contains(x.getSQLState())) {
                return false;
            }
        }
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException x) {
                String state = x.getSQLState();
                if (state != null && (state.startsWith("08") || SERVER_GOING_AWAY.contains(state))) {
                    return true;
                }
                SQLException next = x.getNextException();
                if (next != null && next != x && depth == 0 && isUnavailable(next)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs work in one transaction on the given connection: commits when it returns, rolls back when it throws,
     * and restores auto-commit.
     *
     * @param c the connection
     * @param work the work
     * @param <T> its result
     * @return the result
     * @throws SQLException from the work or the commit (after the rollback)
     */
    public static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            if (autoCommit) {
                restoreAutoCommit(c);
            }
        }
    }

    /**
     * Runs work that has no result in one transaction, as {@link #inTransaction(Connection, SqlWork)}.
     *
     * @param c the connection
     * @param action the work
     * @throws SQLException from the work or the commit (after the rollback)
     */
    public static void inTransaction(Connection c, SqlAction action) throws SQLException {
        inTransaction(c, tx -> {
            action.run(tx);
            return Boolean.TRUE;
        });
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            log.warn("could not restore auto-commit on a connection (SQLState {}); the pool should discard it",
                    e.getSQLState());
        }
    }

    /**
     * @param e a driver exception
     * @return whether it (or an exception chained to it) reports a unique-key violation
     */
    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if ("23505".equals(state) || x.getErrorCode() == MYSQL_DUPLICATE_KEY && state != null
                    && state.startsWith("23")) {
                return true;
            }
            if (x.getCause() instanceof SQLException cause && cause != x && isUniqueViolation(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param e a driver exception
     * @return whether the transaction lost a deadlock or serialization conflict and may simply be retried
     */
    public static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }
}
