package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A webhook delivery as the API shows it: a dead letter, or one put back by a redelivery. Never the subscription's
 * URL or secret, nor the payload.
 *
 * @param id the delivery's id (what a redelivery names)
 * @param subscription the subscription's name
 * @param eventId the event's id (the CloudEvent's {@code id}, the {@code Webhook-Id} header)
 * @param eventType e.g. {@code job.succeeded}
 * @param tenantId the tenant of a job event; null for a rollout event
 * @param jobId the job of a job event
 * @param rolloutId the rollout of a rollout event
 * @param status {@code dead} or {@code pending}
 * @param attempts failed attempts (0 after a redelivery)
 * @param lastError the last attempt's short error, e.g. {@code HTTP 503}
 * @param diedAt when it became a dead letter; null when pending
 * @param nextAttemptAt when it is posted next; null when dead
 */
public record WebhookDeliveryResponse(String id, String subscription, String eventId, String eventType,
        @Nullable String tenantId, @Nullable String jobId, @Nullable String rolloutId, String status, int attempts,
        @Nullable String lastError, @Nullable Instant diedAt, @Nullable Instant nextAttemptAt) implements ApiBody {

    /**
     * @param d a delivery
     * @return its wire form
     */
    public static WebhookDeliveryResponse of(WebhookDelivery d) {
        return new WebhookDeliveryResponse(d.id(), d.subscription(), d.event().id(), d.event().type(),
                d.event().tenantId(), d.event().jobId(), d.event().rolloutId(), d.dead() ? "dead" : "pending",
                d.attempts(), d.lastError(), d.dead() ? d.nextAttemptAt() : null,
                d.dead() ? null : d.nextAttemptAt());
    }
}
