/**
 * Signed CloudEvents webhooks out of the durable outbox. {@link com.dotmac.provisioning.webhooks.sender.Webhooks}
 * builds the pieces: the {@link com.dotmac.provisioning.webhooks.sender.WebhookEventConsumer} a host registers with
 * {@code TenantProvisioner.builder().eventConsumer("webhooks", ...)} (it only queues deliveries, never calls a
 * receiver), and the {@link com.dotmac.provisioning.webhooks.sender.WebhookDispatcher} that posts them on its own
 * threads, retries with back-off and makes dead letters. Receivers written in Java check requests with
 * {@link com.dotmac.provisioning.webhooks.sender.WebhookSignatureVerifier}.
 */
@NullMarked
package com.dotmac.provisioning.webhooks.sender;

import org.jspecify.annotations.NullMarked;
