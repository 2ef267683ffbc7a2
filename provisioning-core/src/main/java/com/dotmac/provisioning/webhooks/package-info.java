/**
 * Webhook deliveries as the library stores them: {@link com.dotmac.provisioning.webhooks.WebhookDelivery}, one event on
 * its way to one subscription, queued durably in a {@link com.dotmac.provisioning.spi.WebhookDeliveryStore}. The
 * sender itself (CloudEvents, signatures, retries) is the {@code provisioning-webhooks} module.
 */
@NullMarked
package com.dotmac.provisioning.webhooks;

import org.jspecify.annotations.NullMarked;
