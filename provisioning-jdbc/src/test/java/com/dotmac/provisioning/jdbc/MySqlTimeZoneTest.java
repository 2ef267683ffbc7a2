package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Time zones on MySQL / MariaDB (skipped without a server): sessions set with {@code SET time_zone}; the stored
 * {@code DATETIME(6)} text must be the UTC wall-clock time.
 */
class MySqlTimeZoneTest extends TimeZoneContract {
    @Override
    protected TestDatabase open() {
        return MySqlDatabases.emptied();
    }

    @Override
    protected String kathmanduSession() {
        return "SET time_zone = '+05:45'";
    }

    @Override
    protected String westernSession() {
        return "SET time_zone = '-08:00'";
    }

    @Override
    protected Instant storedUtc(Connection c, String column, String jobId) throws SQLException {
        String text = String.valueOf(queryValue(c, "SELECT CAST(" + column
                + " AS CHAR) FROM tenant_provisioning_jobs WHERE id = ?", jobId));
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
}
