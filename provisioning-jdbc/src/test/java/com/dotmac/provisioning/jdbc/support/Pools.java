package com.dotmac.provisioning.jdbc.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** HikariCP pools for tests and benchmarks, closed together. Thread-safe. */
public final class Pools implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private final List<HikariDataSource> pools = new ArrayList<>();

    synchronized HikariDataSource open(String jdbcUrl, @Nullable String user, @Nullable String password, int size,
            String... initSql) {
        HikariDataSource ds = create("test-pool", jdbcUrl, user, password, size, initSql);
        pools.add(ds);
        return ds;
    }

    /**
     * Opens a pool that the caller closes.
     *
     * @param namePrefix the pool's name, before a number unique in this JVM
     * @param jdbcUrl the database
     * @param user the user, or null when the URL names it
     * @param password the password, or null
     * @param size the most connections
     * @param initSql statements run on every new connection
     * @return the pool (at least one idle connection, 30 s connection timeout)
     */
    public static HikariDataSource create(String namePrefix, String jdbcUrl, @Nullable String user,
            @Nullable String password, int size, String... initSql) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(namePrefix + "-" + COUNT.incrementAndGet());
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        if (initSql.length > 0) {
            config.setConnectionInitSql(String.join("; ", initSql));
        }
        return new HikariDataSource(config);
    }

    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }
}
