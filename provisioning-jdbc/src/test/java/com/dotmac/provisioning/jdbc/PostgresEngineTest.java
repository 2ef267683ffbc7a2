package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** The engine on embedded PostgreSQL. */
class PostgresEngineTest extends EngineOnJdbcContract {
    @Override
    protected TestDatabase open() {
        return EmbeddedPostgresDatabases.newSchema();
    }
}
