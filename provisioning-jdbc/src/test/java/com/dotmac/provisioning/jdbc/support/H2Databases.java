package com.dotmac.provisioning.jdbc.support;

import com.dotmac.provisioning.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Fresh in-memory H2 databases, one per test, dropped when closed. */
public final class H2Databases {
    private H2Databases() {
    }

    /**
     * @param settings extra URL settings, e.g. {@code ";MODE=PostgreSQL"}, or empty
     * @return a fresh, empty in-memory database
     */
    public static TestDatabase newDatabase(String settings) {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000" + settings;
        return new PooledTestDatabase(url, "sa", "", JdbcDialect.H2, () -> shutdown(url), () -> { });
    }

    private static void shutdown(String url) {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            // SHUTDOWN closes the connection under us; the database is gone either way
        }
    }
}
