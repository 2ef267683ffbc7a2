package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** The statement timeout on embedded PostgreSQL (the driver cancels the statement: SQLState 57014). */
class PostgresStatementTimeoutTest extends StatementTimeoutContract {
    @Override
    protected TestDatabase open() {
        return EmbeddedPostgresDatabases.newSchema();
    }
}
