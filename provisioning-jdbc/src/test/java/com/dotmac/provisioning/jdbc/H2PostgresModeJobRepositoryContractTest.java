package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.testkit.JobRepositoryContractTest;
import org.junit.jupiter.api.AfterEach;

/**
 * The repository contract on in-memory H2 in PostgreSQL compatibility mode, which hosts often use to stand in for
 * PostgreSQL in their tests: the H2 dialect works there too.
 */
class H2PostgresModeJobRepositoryContractTest extends JobRepositoryContractTest {
    private TestDatabase db;

    @Override
    protected JobRepository createRepository() {
        db = H2Databases.newDatabase(";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcJobRepository(db.dataSource());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }
}
