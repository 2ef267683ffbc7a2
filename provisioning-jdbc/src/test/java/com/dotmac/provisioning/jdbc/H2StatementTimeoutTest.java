package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import javax.sql.DataSource;

/**
 * The statement timeout on in-memory H2, where a wait for a row lock is not cut short by the query timeout but by
 * H2's own {@code LOCK_TIMEOUT} (here one second, as the timeout on the other databases; SQLState HYT00).
 */
class H2StatementTimeoutTest extends StatementTimeoutContract {
    @Override
    protected TestDatabase open() {
        return H2Databases.newDatabase("");
    }

    @Override
    protected DataSource enginePool(TestDatabase database) {
        return database.newPool("SET LOCK_TIMEOUT 1000");
    }

    @Override
    protected String timedOutMessage() {
        return "(SQLState HYT00, error 50200)";
    }
}
