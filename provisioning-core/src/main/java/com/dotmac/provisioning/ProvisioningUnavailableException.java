package com.dotmac.provisioning;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The provisioner cannot serve the call now because its database (the job repository) is unreachable; nothing was
 * stored. The call may simply be made again later: {@link #retryAfter()} says when the engine next tries the
 * database (REST: 503 with a {@code Retry-After} header).
 *
 * <p>The message names the database and what failed, never a secret or a connection URL.
 */
public class ProvisioningUnavailableException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** When a call may succeed again, at the earliest. */
    private final Duration retryAfter;

    /**
     * @param message what could not be done, for an operator; never a secret or a connection URL
     * @param retryAfter when a call may succeed again, at the earliest; not negative
     * @param cause the repository's failure, or null
     */
    public ProvisioningUnavailableException(String message, Duration retryAfter, @Nullable Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    /** @return when a call may succeed again, at the earliest (zero when unknown) */
    public Duration retryAfter() {
        return retryAfter;
    }
}
