package com.dotmac.provisioning.jdbc.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that forwards everything to another one and lets a subclass wrap the connections it hands
 * out (to count or time what passes through them). Thread-safe when the subclass's wrapping is.
 */
public abstract class ForwardingDataSource implements DataSource {
    private final DataSource target;

    /** @param target the real (pooled) data source */
    protected ForwardingDataSource(DataSource target) {
        this.target = target;
    }

    /**
     * @param connection a connection borrowed from the target
     * @return the connection to hand out instead
     */
    protected abstract Connection wrap(Connection connection);

    /**
     * Calls a method reflectively on the object a proxy stands for, rethrowing what the method threw.
     *
     * @param target the real connection or statement
     * @param method the method called on the proxy
     * @param args its arguments
     * @return what the method returned
     * @throws Throwable what the method threw
     */
    protected static Object invokeOn(Object target, Method method, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public final Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public final Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
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
