package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** The engine on MySQL / MariaDB (skipped without a server). */
class MySqlEngineTest extends EngineOnJdbcContract {
    @Override
    protected TestDatabase open() {
        return MySqlDatabases.emptied();
    }
}
