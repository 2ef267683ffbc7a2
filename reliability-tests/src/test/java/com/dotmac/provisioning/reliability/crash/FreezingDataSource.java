package com.dotmac.provisioning.reliability.crash;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose prepared statements of one kind (their SQL begins with a given text) run a hook right
 * after each {@code executeBatch} returned: for {@link KillPoint}, a node frozen in the middle of a transaction
 * (the batch sent, nothing committed). Everything else is passed through unchanged. Thread-safe when the target is.
 */
final class FreezingDataSource {
    private FreezingDataSource() {
    }

    /**
     * @param target the data source
     * @param sqlPrefix the beginning of the SQL of the statements watched
     * @param afterBatch run after each {@code executeBatch} of such a statement returned
     * @return the wrapped data source
     */
    static DataSource wrap(DataSource target, String sqlPrefix, Runnable afterBatch) {
        return proxy(DataSource.class, target, (t, method, args) -> {
            Object result = call(t, method, args);
            return result instanceof Connection c ? connection(c, sqlPrefix, afterBatch) : result;
        });
    }

    private static Connection connection(Connection target, String sqlPrefix, Runnable afterBatch) {
        return proxy(Connection.class, target, (t, method, args) -> {
            Object result = call(t, method, args);
            if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")
                    && args != null && args[0] instanceof String sql && sql.startsWith(sqlPrefix)) {
                return proxy(PreparedStatement.class, ps, (s, m, a) -> {
                    Object done = call(s, m, a);
                    if (m.getName().equals("executeBatch")) {
                        afterBatch.run();
                    }
                    return done;
                });
            }
            return result;
        });
    }

    /** What a proxy does with a call, given its target. */
    private interface Handler<T> {
        Object invoke(T target, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler h = (proxy, method, args) -> handler.invoke(target, method, args);
        return type.cast(Proxy.newProxyInstance(FreezingDataSource.class.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
