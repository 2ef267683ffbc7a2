package com.dotmac.provisioning.jdbc.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper that counts what the code under test sends: statement executions (each
 * {@code execute*} call, a batch counting once), batched rows, commits and rollbacks, and connections borrowed.
 * Thread-safe.
 */
public final class CountingDataSource implements DataSource {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final DataSource target;
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong batchedRows = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong rollbacks = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    /** @param target the real data source */
    public CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** @return statement executions so far (a batch counts once) */
    public long statements() {
        return statements.get();
    }

    /** @return rows added to batches so far */
    public long batchedRows() {
        return batchedRows.get();
    }

    /** @return explicit commits so far */
    public long commits() {
        return commits.get();
    }

    /** @return rollbacks so far */
    public long rollbacks() {
        return rollbacks.get();
    }

    /** @return connections borrowed so far */
    public long connections() {
        return connections.get();
    }

    /** Sets every counter to zero. */
    public void reset() {
        statements.set(0);
        batchedRows.set(0);
        commits.set(0);
        rollbacks.set(0);
        connections.set(0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counted(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counted(target.getConnection(username, password));
    }

    private Connection counted(Connection c) {
        connections.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Counter(c));
    }

    /** Counts the calls made on a connection or a statement, and wraps the statements a connection makes. */
    private final class Counter implements InvocationHandler {
        private final Object target;

        Counter(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (EXECUTIONS.contains(name)) {
                statements.incrementAndGet();
            } else if (name.equals("addBatch")) {
                batchedRows.incrementAndGet();
            } else if (name.equals("commit")) {
                commits.incrementAndGet();
            } else if (name.equals("rollback")) {
                rollbacks.incrementAndGet();
            }
            Object result = call(target, method, args);
            if (target instanceof Connection && result instanceof Statement st) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {method.getReturnType()},
                        new Counter(st));
            }
            return result;
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
