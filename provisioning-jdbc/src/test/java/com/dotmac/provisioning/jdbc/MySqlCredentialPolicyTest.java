package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** {@link JdbcCredentialPolicy} on MySQL / MariaDB when {@code PROVISIONING_TEST_MYSQL_URL} names a server. */
class MySqlCredentialPolicyTest extends JdbcCredentialPolicyContract {
    @Override
    protected TestDatabase open() {
        return MySqlDatabases.emptied();
    }
}
