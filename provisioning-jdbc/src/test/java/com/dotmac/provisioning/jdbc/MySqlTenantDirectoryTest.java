package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/**
 * {@link JdbcTenantDirectory} on MySQL / MariaDB when {@code PROVISIONING_TEST_MYSQL_URL} names a server (skipped
 * otherwise). MySQL reports 0 changed rows for an unchanged value, which the idempotency test covers.
 */
class MySqlTenantDirectoryTest extends JdbcTenantDirectoryContract {
    @Override
    protected TestDatabase open() {
        return MySqlDatabases.emptied();
    }
}
