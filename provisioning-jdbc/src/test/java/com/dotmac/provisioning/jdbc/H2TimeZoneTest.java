package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;

/** Time zones on H2: sessions set with H2's {@code SET TIME ZONE}; the stored epoch read by the database. */
class H2TimeZoneTest extends TimeZoneContract {
    @Override
    protected TestDatabase open() {
        TestDatabase db = H2Databases.newDatabase("");
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        return db;
    }
}
