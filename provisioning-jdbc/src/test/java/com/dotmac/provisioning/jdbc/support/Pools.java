package com.dotmac.provisioning.jdbc.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** HikariCP pools for tests, closed together. Thread-safe. */
final class Pools implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private final List<HikariDataSource> pools = new ArrayList<>();

    synchronized HikariDataSource open(String jdbcUrl, @Nullable String user, @Nullable String password, int size,
            String... initSql) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-pool-" + COUNT.incrementAndGet());
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
        HikariDataSource ds = new HikariDataSource(config);
        pools.add(ds);
        return ds;
    }

    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }
}
