package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.testkit.WebhookDeliveryStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The webhook delivery store contract on embedded PostgreSQL, each test in a fresh schema made by the initializer. */
class PostgresWebhookDeliveryStoreContractTest extends WebhookDeliveryStoreContract {
    private TestDatabase db;

    @Override
    protected WebhookDeliveryStore createStore() {
        db = EmbeddedPostgresDatabases.newSchema();
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcWebhookDeliveryStore(db.dataSource());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
