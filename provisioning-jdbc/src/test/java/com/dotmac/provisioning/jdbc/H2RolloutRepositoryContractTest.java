package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.RolloutRepositoryContract;
import org.junit.jupiter.api.AfterEach;

/** The rollout repository contract on in-memory H2 in its regular mode, each test in a fresh database. */
class H2RolloutRepositoryContractTest extends RolloutRepositoryContract {
    private TestDatabase db;

    /** @return extra H2 URL settings (none: regular mode) */
    protected String settings() {
        return "";
    }

    @Override
    protected RolloutRepository createRepository() {
        db = H2Databases.newDatabase(settings());
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcRolloutRepository(db.dataSource());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }
}
