package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.webhooks.WebhookDelivery;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt of {@link WebhookDispatcher} did with a delivery. Immutable and thread-safe.
 *
 * @param delivery the delivery as claimed (its attempts before this one)
 * @param status what was recorded
 * @param error the attempt's short, secret-free error; null when delivered
 * @param retryAt when it is due again, for {@link Status#RETRY_LATER}; null otherwise
 */
public record DispatchResult(WebhookDelivery delivery, Status status, @Nullable String error,
        @Nullable Instant retryAt) {

    /** What was recorded after an attempt. */
    public enum Status {
        /** The receiver answered 2xx; the delivery is gone from the store. */
        DELIVERED,
        /** The attempt failed and the delivery is due again at {@link DispatchResult#retryAt()}. */
        RETRY_LATER,
        /** The delivery is a dead letter (its last attempt failed, or the receiver refused it). */
        DEAD_LETTER,
        /** Nothing was recorded: the claim was taken over, or the store failed (the lease runs out, it comes back). */
        NOT_RECORDED
    }
}
