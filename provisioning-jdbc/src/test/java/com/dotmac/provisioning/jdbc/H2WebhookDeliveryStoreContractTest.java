package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.testkit.WebhookDeliveryStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The webhook delivery store contract on in-memory H2 in its regular mode (the mode the H2 dialect documents). */
class H2WebhookDeliveryStoreContractTest extends WebhookDeliveryStoreContract {
    private TestDatabase db;

    @Override
    protected WebhookDeliveryStore createStore() {
        db = H2Databases.newDatabase("");
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new JdbcWebhookDeliveryStore(db.dataSource());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }
}
