package com.dotmac.provisioning.jdbc.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TestDatabase} reached through HikariCP pools over one JDBC URL; closing it runs a clean-up and closes
 * every pool it opened.
 */
final class PooledTestDatabase implements TestDatabase {
    private static final int POOL_SIZE = 8;

    private final String url;
    private final @Nullable String user;
    private final @Nullable String password;
    private final JdbcDialect dialect;
    private final Pools pools = new Pools();
    private final DataSource main;
    private final Runnable beforeClose;
    private final Runnable afterClose;

    /**
     * @param url the JDBC URL
     * @param user the user, or null when the URL names it
     * @param password the password, or null
     * @param dialect the database's dialect
     * @param beforeClose runs while the pools are still open
     * @param afterClose runs once they are closed
     */
    PooledTestDatabase(String url, @Nullable String user, @Nullable String password, JdbcDialect dialect,
            Runnable beforeClose, Runnable afterClose) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = dialect;
        this.beforeClose = beforeClose;
        this.afterClose = afterClose;
        this.main = pools.open(url, user, password, POOL_SIZE);
    }

    @Override
    public DataSource dataSource() {
        return main;
    }

    @Override
    public JdbcDialect dialect() {
        return dialect;
    }

    @Override
    public DataSource newPool(String... initSql) {
        return pools.open(url, user, password, POOL_SIZE, initSql);
    }

    @Override
    public void close() {
        try {
            beforeClose.run();
        } finally {
            pools.close();
            afterClose.run();
        }
    }
}
