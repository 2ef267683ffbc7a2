package com.dotmac.provisioning.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pending request to stop a job's run, kept on the job until the run's end is confirmed.
 *
 * @param reason cancel or timeout
 * @param requestedBy who asked ({@code system} for a timeout)
 * @param message the reason given, or null
 * @param at when it was requested
 */
public record StopRequest(StopReason reason, String requestedBy, @Nullable String message, Instant at) {
    /** Checks the required fields. */
    public StopRequest {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(at, "at");
    }
}
