package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.RolloutRepositoryContract;
import org.junit.jupiter.api.AfterEach;

/** The rollout repository contract on embedded PostgreSQL, each test in a fresh schema made by the initializer. */
class PostgresRolloutRepositoryContractTest extends RolloutRepositoryContract {
    private TestDatabase db;

    @Override
    protected RolloutRepository createRepository() {
        db = EmbeddedPostgresDatabases.newSchema();
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcRolloutRepository(db.dataSource());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
