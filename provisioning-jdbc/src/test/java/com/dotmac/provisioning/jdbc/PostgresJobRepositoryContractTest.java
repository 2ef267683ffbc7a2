package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.testkit.JobRepositoryContract;
import org.junit.jupiter.api.AfterEach;

/** The repository contract on embedded PostgreSQL, each test in a fresh schema made by the initializer. */
class PostgresJobRepositoryContractTest extends JobRepositoryContract {
    private TestDatabase db;

    @Override
    protected JobRepository createRepository() {
        db = EmbeddedPostgresDatabases.newSchema();
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcJobRepository(db.dataSource());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
