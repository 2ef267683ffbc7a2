package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.rules.JsonValues;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a rollout's timeline, as {@link com.dotmac.provisioning.JobEvent} is of a job's. Immutable and
 * thread-safe.
 *
 * @param rolloutId the rollout
 * @param at when it happened
 * @param type what happened
 * @param from the status before, for a status change; otherwise null
 * @param to the status after, for a status change or creation; otherwise null
 * @param message a sentence for an operator; never a secret
 * @param data JSON-shaped details (e.g. {@code wave}, {@code tenant_id}, {@code failed})
 */
public record RolloutEvent(
        String rolloutId,
        Instant at,
        RolloutEventType type,
        @Nullable RolloutStatus from,
        @Nullable RolloutStatus to,
        String message,
        Map<String, Object> data) {

    /** Checks the required fields and copies the data. */
    public RolloutEvent {
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        data = JsonValues.copyMap(data);
    }

    /**
     * @param rolloutId the rollout
     * @param at when
     * @param type what happened (not a status change)
     * @param message for an operator
     * @param data details
     * @return an event without from/to
     */
    public static RolloutEvent of(String rolloutId, Instant at, RolloutEventType type, String message,
            Map<String, ?> data) {
        return new RolloutEvent(rolloutId, at, type, null, null, message, JsonValues.copyMap(data));
    }
}
