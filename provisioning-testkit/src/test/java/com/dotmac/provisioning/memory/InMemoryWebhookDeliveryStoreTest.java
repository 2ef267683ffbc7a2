package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import com.dotmac.provisioning.testkit.WebhookDeliveryStoreContract;

class InMemoryWebhookDeliveryStoreTest extends WebhookDeliveryStoreContract {
    @Override
    protected WebhookDeliveryStore createStore() {
        return new InMemoryWebhookDeliveryStore();
    }
}
