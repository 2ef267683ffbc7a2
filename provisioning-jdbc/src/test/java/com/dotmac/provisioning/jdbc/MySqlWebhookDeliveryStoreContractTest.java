package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.testkit.WebhookDeliveryStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;

/**
 * The webhook delivery store contract on MySQL 8 / MariaDB 10.6+ (one database made by the initializer for the
 * class, emptied before each test): the configured server ({@code PROVISIONING_TEST_MYSQL_URL}) or the MariaDB
 * installed on this machine; otherwise every test is skipped (by an assumption in {@link #createStore()}) with a
 * message saying how to run it, or fails when {@code PROVISIONING_REQUIRE_MYSQL} is true.
 */
class MySqlWebhookDeliveryStoreContractTest extends WebhookDeliveryStoreContract {
    private static @Nullable TestDatabase db;

    @Override
    protected WebhookDeliveryStore createStore() {
        TestDatabase database = db;
        if (database == null) {
            database = MySqlDatabases.newDatabase();
            new JdbcSchemaInitializer(database.dataSource(), JdbcDialect.MYSQL).initialize();
            db = database;
        }
        database.execute("DELETE FROM tenant_provisioning_webhook_delivery");
        return new JdbcWebhookDeliveryStore(database.dataSource(), JdbcDialect.MYSQL);
    }

    @AfterAll
    static void closePools() {
        TestDatabase database = db;
        db = null;
        if (database != null) {
            database.close();
        }
    }
}
