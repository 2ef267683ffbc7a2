package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configured table and column names are identifiers, never SQL. */
class JdbcTenantDirectoryConfigurationTest {
    private TestDatabase db;

    @BeforeEach
    void open() {
        db = H2Databases.newDatabase("");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenants; DROP TABLE x", "tenants--", "1tenants", "a.b.c", "", " tenants", "tenants ",
            "\"tenants\"", "ten-ants", "platform.", ".tenants"})
    void badTableNamesAreRefusedNamingTheSetting(String table) {
        assertThatThrownBy(() -> JdbcTenantDirectory.builder(db.dataSource()).table(table).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("table must be a plain SQL identifier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id = id OR 1=1", "id,slug", "s.id", "id;", "ïd", "x234567890123456789012345678901234567890123456789012345678901234"})
    void badColumnNamesAreRefusedNamingTheSetting(String column) {
        assertThatThrownBy(() -> JdbcTenantDirectory.builder(db.dataSource()).statusColumn(column).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("statusColumn must be a plain SQL identifier");
        assertThatThrownBy(() -> JdbcTenantDirectory.builder(db.dataSource()).idColumn(column).build())
                .hasMessageStartingWith("idColumn must be a plain SQL identifier");
        assertThatThrownBy(() -> JdbcTenantDirectory.builder(db.dataSource()).slugColumn(column).build())
                .hasMessageStartingWith("slugColumn must be a plain SQL identifier");
    }

    @Test
    void aSchemaQualifiedTableIsAccepted() {
        db.execute("CREATE SCHEMA platform",
                "CREATE TABLE platform.tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))",
                "INSERT INTO platform.tenants VALUES ('t', 's', 'active')");
        JdbcTenantDirectory directory = JdbcTenantDirectory.builder(db.dataSource()).table("platform.tenants")
                .build();
        assertThat(directory.find("t")).isPresent();
        assertThat(directory).hasToString("JdbcTenantDirectory[platform.tenants]");
    }
}
