package com.dotmac.provisioning.jdbc.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper that counts what the code under test sends: statement executions (each
 * {@code execute*} call, a batch counting once), batched rows, commits and rollbacks, and connections borrowed.
 * Thread-safe.
 */
public final class CountingDataSource extends ForwardingDataSource {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong batchedRows = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong rollbacks = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    /** @param target the real data source */
    public CountingDataSource(DataSource target) {
        super(target);
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
    protected Connection wrap(Connection c) {
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
            Object result = invokeOn(target, method, args);
            if (target instanceof Connection && result instanceof Statement st) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {method.getReturnType()},
                        new Counter(st));
            }
            return result;
        }
    }
}
