package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.jdbc.support.ForwardingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that counts what passes through it: statement executions (a batch counts once) by kind
 * ({@link SqlLabels}) with the time spent executing them, explicit commits and connections borrowed. Wrap the
 * same pool twice to count two clients apart. Thread-safe.
 */
public final class StatementCounter extends ForwardingDataSource {
    private static final String COMMIT = "commit";

    private final Map<String, LongAdder> executions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final LongAdder commits = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final LongAdder connections = new LongAdder();

    /** @param pool the real (pooled) data source */
    public StatementCounter(DataSource pool) {
        super(pool);
    }

    /** @return a snapshot of the counts so far */
    public Counts counts() {
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, Long> timeByKind = new TreeMap<>();
        executions.forEach((k, v) -> byKind.put(k, v.sum()));
        nanos.forEach((k, v) -> timeByKind.put(k, v.sum()));
        return new Counts(byKind, timeByKind, commits.sum(), commitNanos.sum(), connections.sum());
    }

    /** Sets every count to zero. */
    public void reset() {
        executions.clear();
        nanos.clear();
        commits.reset();
        commitNanos.reset();
        connections.reset();
    }

    @Override
    protected Connection wrap(Connection connection) {
        connections.increment();
        return (Connection) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    private void record(String kind, long elapsedNanos) {
        executions.computeIfAbsent(kind, k -> new LongAdder()).increment();
        nanos.computeIfAbsent(kind, k -> new LongAdder()).add(elapsedNanos);
    }

    /** Wraps the statements a connection makes, and counts its commits. */
    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            if (method.getName().equals(COMMIT)) {
                commits.increment();
                long start = System.nanoTime();
                try {
                    return invokeOn(connection, method, args);
                } finally {
                    commitNanos.add(System.nanoTime() - start);
                }
            }
            Object result = invokeOn(connection, method, args);
            if (result instanceof Statement statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                return Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                        new Class<?>[] {method.getReturnType()}, new StatementHandler(statement, sql));
            }
            return result;
        }
    }

    /** Counts the executions of one statement under the kind of its SQL. */
    private final class StatementHandler implements InvocationHandler {
        private final Statement statement;
        private final @Nullable String preparedSql;

        StatementHandler(Statement statement, @Nullable String preparedSql) {
            this.statement = statement;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            if (!method.getName().startsWith("execute")) {
                return invokeOn(statement, method, args);
            }
            String sql = preparedSql;
            if (sql == null && args != null && args.length > 0 && args[0] instanceof String s) {
                sql = s;
            }
            long start = System.nanoTime();
            try {
                return invokeOn(statement, method, args);
            } finally {
                long elapsed = System.nanoTime() - start;
                record(SqlLabels.label(sql == null ? "" : sql), elapsed);
            }
        }
    }

    /**
     * What a {@link StatementCounter} counted.
     *
     * @param executions statement executions by kind
     * @param nanos time spent executing, by kind
     * @param commits explicit commits
     * @param commitNanos time spent in commits, in nanoseconds
     * @param connections connections borrowed
     */
    public record Counts(Map<String, Long> executions, Map<String, Long> nanos, long commits, long commitNanos,
            long connections) {
        /** Copies the maps. */
        public Counts {
            executions = Map.copyOf(executions);
            nanos = Map.copyOf(nanos);
        }

        /** @return all statement executions */
        public long statements() {
            return executions.values().stream().mapToLong(Long::longValue).sum();
        }

        /** @return time spent in statements and commits, in nanoseconds */
        public long statementNanos() {
            return nanos.values().stream().mapToLong(Long::longValue).sum() + commitNanos;
        }
    }
}
