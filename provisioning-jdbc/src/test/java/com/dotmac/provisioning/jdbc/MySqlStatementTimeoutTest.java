package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** The statement timeout on MySQL / MariaDB (skipped without a server). */
class MySqlStatementTimeoutTest extends StatementTimeoutContract {
    @Override
    protected TestDatabase open() {
        return MySqlDatabases.emptied();
    }
}
