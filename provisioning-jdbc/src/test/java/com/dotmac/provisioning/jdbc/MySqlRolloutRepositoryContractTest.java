package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.RolloutRepositoryContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The rollout repository contract on MySQL 8 / MariaDB 10.6+: the configured server or the MariaDB installed on this
 * machine ({@link MySqlDatabases}); skipped without either (by an assumption in {@link #createRepository()}).
 */
class MySqlRolloutRepositoryContractTest extends RolloutRepositoryContract {
    private TestDatabase db;

    @Override
    protected RolloutRepository createRepository() {
        db = MySqlDatabases.newDatabase();
        new JdbcSchemaInitializer(db.dataSource(), JdbcDialect.MYSQL).initialize();
        return new JdbcRolloutRepository(db.dataSource());
    }

    @AfterEach
    void closePools() {
        if (db != null) {
            db.close();
        }
    }
}
