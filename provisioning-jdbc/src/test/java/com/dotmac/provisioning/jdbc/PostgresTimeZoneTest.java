package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** Time zones on PostgreSQL: sessions set with {@code SET TIME ZONE}; the stored epoch read by the server. */
class PostgresTimeZoneTest extends TimeZoneContract {
    @Override
    protected TestDatabase open() {
        TestDatabase db = EmbeddedPostgresDatabases.newSchema();
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        return db;
    }
}
