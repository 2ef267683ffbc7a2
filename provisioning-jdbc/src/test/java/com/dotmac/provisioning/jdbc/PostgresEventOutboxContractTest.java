package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.EventOutboxContract;
import org.junit.jupiter.api.AfterEach;

/** The outbox contract on embedded PostgreSQL, each test in a fresh schema made by the initializer. */
class PostgresEventOutboxContractTest extends EventOutboxContract {
    private TestDatabase db;

    @Override
    protected JobRepository createRepository() {
        db = EmbeddedPostgresDatabases.newSchema();
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcJobRepository(db.dataSource()).withOutbox();
    }

    @Override
    protected RolloutRepository rolloutRepository() {
        return new JdbcRolloutRepository(db.dataSource()).withOutbox();
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
