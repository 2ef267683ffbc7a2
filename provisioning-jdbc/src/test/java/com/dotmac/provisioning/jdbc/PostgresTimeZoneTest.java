package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Time zones on PostgreSQL: sessions set with {@code SET TIME ZONE}; the stored epoch read by the server. */
class PostgresTimeZoneTest extends TimeZoneContract {
    @Override
    protected TestDatabase open() {
        TestDatabase db = EmbeddedPostgresDatabases.newSchema();
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
        return epoch((BigDecimal) queryValue(c, "SELECT EXTRACT(EPOCH FROM " + column
                + ") FROM tenant_provisioning_jobs WHERE id = ?", jobId));
    }

    static Instant epoch(BigDecimal seconds) {
        BigDecimal micros = seconds.movePointRight(6);
        return Instant.EPOCH.plus(micros.longValueExact(), java.time.temporal.ChronoUnit.MICROS);
    }
}
