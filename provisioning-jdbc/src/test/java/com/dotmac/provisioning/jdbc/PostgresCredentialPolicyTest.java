package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** {@link JdbcCredentialPolicy} on embedded PostgreSQL. */
class PostgresCredentialPolicyTest extends JdbcCredentialPolicyContract {
    @Override
    protected TestDatabase open() {
        return EmbeddedPostgresDatabases.newSchema();
    }
}
