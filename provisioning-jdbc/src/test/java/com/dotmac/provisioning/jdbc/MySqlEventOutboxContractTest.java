package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.testkit.EventOutboxContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The outbox contract on MySQL 8 / MariaDB 10.6+, when {@code PROVISIONING_TEST_MYSQL_URL} (with
 * {@code _USER} and {@code _PASSWORD}) names a server; otherwise every test is skipped (by an assumption in
 * {@link #createRepository()}) with a message saying how to run it.
 */
class MySqlEventOutboxContractTest extends EventOutboxContract {
    private TestDatabase db;

    @Override
    protected JobRepository createRepository() {
        db = MySqlDatabases.emptied();
        return new JdbcJobRepository(db.dataSource()).withOutbox();
    }

    @Override
    protected RolloutRepository rolloutRepository() {
        return new JdbcRolloutRepository(db.dataSource()).withOutbox();
    }

    @AfterEach
    void closePools() {
        if (db != null) {
            db.close();
        }
    }
}
