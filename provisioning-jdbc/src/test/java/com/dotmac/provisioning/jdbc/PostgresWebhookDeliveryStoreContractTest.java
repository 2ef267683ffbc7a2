package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.testkit.WebhookDeliveryStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;

/**
 * The webhook delivery store contract on embedded PostgreSQL: one schema made by the initializer for the class,
 * emptied before each test.
 */
class PostgresWebhookDeliveryStoreContractTest extends WebhookDeliveryStoreContract {
    private static @Nullable TestDatabase db;

    @Override
    protected WebhookDeliveryStore createStore() {
        TestDatabase database = db;
        if (database == null) {
            database = EmbeddedPostgresDatabases.newSchema();
            new JdbcSchemaInitializer(database.dataSource()).initialize();
            db = database;
        }
        database.execute("DELETE FROM tenant_provisioning_webhook_delivery");
        return new JdbcWebhookDeliveryStore(database.dataSource());
    }

    @AfterAll
    static void dropSchema() {
        TestDatabase database = db;
        db = null;
        if (database != null) {
            database.close();
        }
    }
}
