package com.dotmac.provisioning.jdbc.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * An empty database (or schema) for one test, with its data source; {@link #close()} releases it.
 */
public interface TestDatabase extends AutoCloseable {
    /** @return the data source, pooled where the database needs it */
    DataSource dataSource();

    /** @return its dialect */
    JdbcDialect dialect();

    /**
     * @param initSql statements every new connection runs first (e.g. a session time zone), or none
     * @return another pooled data source over the same database or schema; closed with this database
     */
    DataSource newPool(String... initSql);

    /**
     * Runs statements on a connection of {@link #dataSource()}.
     *
     * @param statements SQL statements
     */
    default void execute(String... statements) {
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    void close();
}
