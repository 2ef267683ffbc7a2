package com.dotmac.provisioning.jdbc;

import com.dotmac.provisioning.jdbc.support.MySqlDatabases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.testkit.WebhookDeliveryStoreContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The webhook delivery store contract on MySQL 8 / MariaDB 10.6+: the configured server
 * ({@code PROVISIONING_TEST_MYSQL_URL}) or the MariaDB installed on this machine; otherwise every test is skipped
 * (by an assumption in {@link #createStore()}) with a message saying how to run it, or fails when
 * {@code PROVISIONING_REQUIRE_MYSQL} is true.
 */
class MySqlWebhookDeliveryStoreContractTest extends WebhookDeliveryStoreContract {
    private TestDatabase db;

    @Override
    protected WebhookDeliveryStore createStore() {
        db = MySqlDatabases.emptied();
        return new JdbcWebhookDeliveryStore(db.dataSource());
    }

    @AfterEach
    void closePools() {
        if (db != null) {
            db.close();
        }
    }
}
