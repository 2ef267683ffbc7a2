package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.JsonValues;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a job's timeline. Every status change is one ({@link JobEventType#STATUS_CHANGED} with {@code from}
 * and {@code to}); other entries record launch attempts, cancellation, callbacks and tenant status updates.
 * Immutable and thread-safe.
 *
 * @param jobId the job
 * @param at when it happened
 * @param type what happened
 * @param from the status before, for a status change; otherwise null
 * @param to the status after, for a status change or creation; otherwise null
 * @param message a sentence for an operator; never a secret
 * @param data JSON-shaped details (e.g. {@code run_id}, {@code error_code}, {@code tenant_status})
 */
public record JobEvent(
        String jobId,
        Instant at,
        JobEventType type,
        @Nullable JobStatus from,
        @Nullable JobStatus to,
        String message,
        Map<String, Object> data) {

    /** Checks the required fields and copies the data. */
    public JobEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        data = JsonValues.copyMap(data);
    }

    /**
     * @param jobId the job
     * @param at when
     * @param type what happened (not a status change)
     * @param message for an operator
     * @param data details
     * @return an event without from/to
     */
    public static JobEvent of(String jobId, Instant at, JobEventType type, String message, Map<String, ?> data) {
        return new JobEvent(jobId, at, type, null, null, message, JsonValues.copyMap(data));
    }
}
