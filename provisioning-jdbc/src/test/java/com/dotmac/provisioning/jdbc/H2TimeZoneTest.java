package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Time zones on H2: sessions set with H2's {@code SET TIME ZONE}; the stored epoch read by the database. */
class H2TimeZoneTest extends TimeZoneContract {
    @Override
    protected TestDatabase open() {
        TestDatabase db = H2Databases.newDatabase("");
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        return db;
    }

    @Override
    protected String kathmanduSession() {
        return "SET TIME ZONE 'Asia/Kathmandu'";
    }

    @Override
    protected String westernSession() {
        return "SET TIME ZONE 'America/Los_Angeles'";
    }

    @Override
    protected Instant storedUtc(Connection c, String column, String jobId) throws SQLException {
        return PostgresTimeZoneTest.epoch((BigDecimal) queryValue(c, "SELECT EXTRACT(EPOCH FROM " + column
                + ") FROM tenant_provisioning_jobs WHERE id = ?", jobId));
    }
}
