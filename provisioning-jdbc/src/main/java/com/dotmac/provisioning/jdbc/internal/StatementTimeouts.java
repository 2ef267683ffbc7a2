package com.dotmac.provisioning.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Puts a query timeout ({@link Statement#setQueryTimeout}) on every statement made on a connection, so that no
 * statement of the module (and none added later) can be forgotten; and recognises the drivers' timeout errors.
 * Stateless and thread-safe; a wrapped connection is as thread-safe as the connection it wraps.
 */
public final class StatementTimeouts {
    /** The connection methods that make statements. */
    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement",
            "prepareCall");
    /** PostgreSQL's and H2's SQLState for a cancelled statement (query_canceled). */
    private static final String QUERY_CANCELED = "57014";
    /** MariaDB: max_statement_time exceeded. */
    private static final int MARIADB_STATEMENT_TIME = 1969;
    /** H2: its lock timeout ({@code LOCK_TIMEOUT}) ran out, a timeout but not the statement's. */
    private static final int H2_LOCK_TIMEOUT = 50200;
    /** MySQL: maximum statement execution time exceeded (ER_QUERY_TIMEOUT). */
    private static final int MYSQL_EXECUTION_TIME = 3024;

    private StatementTimeouts() {
    }

    /**
     * @param timeout a statement timeout; zero for none
     * @return it in whole seconds, rounded up ({@link Statement#setQueryTimeout} counts seconds)
     * @throws IllegalArgumentException when it is negative or too long for an {@code int} of seconds
     */
    public static int seconds(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("statementTimeout must not be negative, was " + timeout);
        }
        long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        if (seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("statementTimeout is too long: " + timeout);
        }
        return (int) seconds;
    }

    /**
     * @param c a connection
     * @param seconds the timeout of every statement made on it; zero for none
     * @return {@code c} itself when {@code seconds} is zero, else a view of it whose statements have the timeout
     */
    public static Connection withTimeout(Connection c, int seconds) {
        if (seconds <= 0) {
            return c;
        }
        InvocationHandler handler = (proxy, method, args) -> invoke(c, seconds, method, args);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private static @Nullable Object invoke(Connection c, int seconds, Method method, @Nullable Object[] args)
            throws Throwable {
        Object result;
        try {
            result = method.invoke(c, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
        if (result instanceof Statement statement && STATEMENT_FACTORIES.contains(method.getName())) {
            try {
                statement.setQueryTimeout(seconds);
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        }
        return result;
    }

    /**
     * @param e a driver exception
     * @return whether it reports a statement cancelled by its timeout (PostgreSQL and H2: SQLState 57014; MySQL and
     *     MariaDB: a {@link SQLTimeoutException} or their statement-time errors); not H2's lock timeout
     */
    public static boolean isTimeout(SQLException e) {
        if (e.getErrorCode() == H2_LOCK_TIMEOUT) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException x && (QUERY_CANCELED.equals(x.getSQLState())
                    || x.getErrorCode() == MARIADB_STATEMENT_TIME || x.getErrorCode() == MYSQL_EXECUTION_TIME)) {
                return true;
            }
        }
        return false;
    }
}
