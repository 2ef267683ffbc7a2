package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.EventOutboxContract;
import org.junit.jupiter.api.AfterEach;

/** The outbox contract on in-memory H2 in its regular mode (the mode the H2 dialect documents). */
class H2EventOutboxContractTest extends EventOutboxContract {
    private TestDatabase db;

    /** @return extra H2 URL settings (none: regular mode) */
    protected String settings() {
        return "";
    }

    @Override
    protected JobRepository createRepository() {
        db = H2Databases.newDatabase(settings());
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcJobRepository(db.dataSource()).withOutbox();
    }

    @Override
    protected RolloutRepository rolloutRepository() {
        return new JdbcRolloutRepository(db.dataSource()).withOutbox();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }
}
