package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.LocalMariaDb;
import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.mysql.cj.jdbc.MysqlDataSource;
import org.junit.jupiter.api.Test;

/** Detecting the dialect from a database's metadata. */
class JdbcDialectTest {

    @Test
    void detectsPostgresAndH2FromRealDatabases() {
        assertThat(JdbcDialect.detect(EmbeddedPostgresDatabases.serverDataSource())).isEqualTo(JdbcDialect.POSTGRESQL);
        try (TestDatabase h2 = H2Databases.newDatabase(";MODE=MySQL")) {
            assertThat(JdbcDialect.detect(h2.dataSource())).isEqualTo(JdbcDialect.H2);
            assertThat(new JdbcJobRepository(h2.dataSource())).hasToString("JdbcJobRepository[H2]");
        }
    }

    @Test
    void detectsMySqlOrMariaDbFromARealServer() {
        try (TestDatabase db = MySqlDatabases.newDatabase()) {
            assertThat(JdbcDialect.detect(db.dataSource())).isEqualTo(JdbcDialect.MYSQL);
            assertThat(new JdbcJobRepository(db.dataSource())).hasToString("JdbcJobRepository[MYSQL]");
        }
    }

    @Test
    void aRealMariaDb10ReachedWithConnectorJIsRefused() {
        MySqlDatabases.assumeConfigured();
        assumeTrue(LocalMariaDb.installed(), "needs the local MariaDB");
        LocalMariaDb server = LocalMariaDb.server();
        assumeTrue(server.version().startsWith("10."), "MariaDB 11+ no longer announces itself as 5.5.5-");
        String name = EmbeddedPostgresDatabases.uniqueName("cj");
        MysqlDataSource connectorJ = new MysqlDataSource();
        connectorJ.setURL(server.createDatabase(name).replace("jdbc:mariadb:", "jdbc:mysql:"));
        connectorJ.setUser(server.user());
        connectorJ.setPassword(server.password());
        try {
            assertThatThrownBy(() -> JdbcDialect.detect(connectorJ)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be reached with the MariaDB");
        } finally {
            server.dropDatabase(name);
        }
    }

    @Test
    void detectsMySqlAndMariaDbVersionsThatSkipLockedRows() {
        assertThat(JdbcDialect.fromProduct("MySQL", "8.0.36", 8, 0)).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.fromProduct("MySQL", "9.1.0", 9, 1)).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.fromProduct("MariaDB", "10.11.6-MariaDB", 10, 11)).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.fromProduct("MariaDB", "11.4.2-MariaDB", 11, 4)).isEqualTo(JdbcDialect.MYSQL);
        // a MySQL driver reaching MariaDB 10.x sees 5.5.5-10.x: the real version decides
        assertThat(JdbcDialect.fromProduct("MySQL", "5.5.5-10.6.18-MariaDB", 5, 5)).isEqualTo(JdbcDialect.MYSQL);
    }

    @Test
    void refusesDatabasesTooOldToSkipLockedRows() {
        assertThatThrownBy(() -> JdbcDialect.fromProduct("MySQL", "5.7.44", 5, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL 8.0.16+ or MariaDB 10.6+");
        assertThatThrownBy(() -> JdbcDialect.fromProduct("MariaDB", "10.5.9-MariaDB", 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found MariaDB 10.5.9-MariaDB");
        assertThatThrownBy(() -> JdbcDialect.fromProduct("MySQL", "5.5.5-10.4.1-MariaDB", 5, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOtherDatabases() {
        assertThatThrownBy(() -> JdbcDialect.fromProduct("Microsoft SQL Server", "16.0", 16, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provisioning-jdbc supports PostgreSQL, H2 and MySQL/MariaDB; found Microsoft SQL Server 16.0");
    }
}
