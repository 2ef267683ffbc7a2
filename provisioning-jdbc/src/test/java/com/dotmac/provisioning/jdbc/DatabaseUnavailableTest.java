package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDBC adapter reports a database that cannot be reached as {@link RepositoryUnavailableException} (issue 21,
 * database outage), and any other failure as before ({@link DatabaseAccessException}): a real H2 server stopped and
 * started again behind a HikariCP pool, and a data source that answers with a given SQLState.
 */
class DatabaseUnavailableTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aStoppedServerIsUnavailableAndTheSameRepositoryWorksOnceItIsBack(@TempDir Path dir) throws SQLException {
        String baseDir = dir.toString();
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", baseDir).start();
        int port = server.getPort();
        String url = "jdbc:h2:tcp://localhost:" + port + "/./outage";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("s3cret-pass");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            new JdbcSchemaInitializer(pool, JdbcDialect.H2).initialize();
            JdbcJobRepository repository = new JdbcJobRepository(pool, JdbcDialect.H2);
            assertThat(repository.countDue(NOW)).isZero();

            server.stop();
            assertThatThrownBy(() -> repository.claimDue("node-1", NOW, NOW.plusSeconds(20), 10))
                    .isInstanceOf(RepositoryUnavailableException.class)
                    .hasMessageStartingWith("could not claim due provisioning jobs")
                    .hasMessageContaining("cannot be reached")
                    .hasMessageNotContaining("s3cret-pass").hasMessageNotContaining("tcp://");
            assertThatThrownBy(() -> repository.countRunsInFlight())
                    .isInstanceOf(RepositoryUnavailableException.class);

            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", baseDir).start();
            // the pool drops the stopped server's connections when it checks them (idle for over 0.5 s), opens new ones
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(700)).ignoreException(RepositoryUnavailableException.class)
                    .untilAsserted(() -> assertThat(repository.claimDue("node-1", NOW, NOW.plusSeconds(20), 10))
                            .isEmpty());
            assertThat(repository.countRunsInFlight()).isZero();
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "57P01", "57P02", "57P03"})
    void aConnectionSqlStateIsUnavailable(String sqlState) {
        JdbcJobRepository repository = new JdbcJobRepository(refusing(new SQLException("no", sqlState)),
                JdbcDialect.H2);
        assertThatThrownBy(() -> repository.find("job-1"))
                .isInstanceOf(RepositoryUnavailableException.class)
                .hasMessageContaining("SQLState " + sqlState);
    }

    @Test
    void aPoolThatTimedOutWaitingForAConnectionIsUnavailable() {
        JdbcJobRepository repository = new JdbcJobRepository(refusing(new SQLTransientConnectionException(
                "pool-1 - Connection is not available, request timed out after 250ms.")), JdbcDialect.H2);
        assertThatThrownBy(() -> repository.countRunsInFlight()).isInstanceOf(RepositoryUnavailableException.class);
    }

    @Test
    void anyOtherFailureIsStillADatabaseAccessException() {
        JdbcJobRepository repository = new JdbcJobRepository(refusing(new SQLException("no table", "42P01")),
                JdbcDialect.H2);
        assertThatThrownBy(() -> repository.find("job-1"))
                .isInstanceOf(DatabaseAccessException.class)
                .isNotInstanceOf(RepositoryUnavailableException.class);
    }

    /** A data source whose every connection attempt fails with the given exception. */
    private static DataSource refusing(SQLException failure) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        throw failure;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
