package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ProvisioningException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AutomationRunner} call failed. A <em>transient</em> failure (service unreachable, 5xx, 429, timeout,
 * malformed answer) is retried with back-off; a <em>permanent</em> one (bad credentials, unknown template, the
 * template drops the job's variables) fails the job at once with {@link #errorCode()} and the message.
 *
 * <p>The message is written for an operator and never contains a secret.
 */
public class AutomationException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final String errorCode;
    private final @Nullable Duration retryAfter;

    /**
     * @param transientFailure whether a later attempt may succeed
     * @param errorCode a stable code, e.g. {@code AWX_UNAUTHORIZED}
     * @param message what happened and, for permanent failures, what to change
     * @param retryAfter the earliest sensible retry (e.g. from {@code Retry-After}), or null
     * @param cause the underlying failure, or null
     */
    public AutomationException(boolean transientFailure, String errorCode, String message,
            @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.retryAfter = retryAfter;
    }

    /**
     * @param errorCode a stable code
     * @param message what happened
     * @param cause the underlying failure, or null
     * @return a failure worth retrying
     */
    public static AutomationException transientFailure(String errorCode, String message, @Nullable Throwable cause) {
        return new AutomationException(true, errorCode, message, null, cause);
    }

    /**
     * @param errorCode a stable code
     * @param message what happened and what to change
     * @return a failure that retrying cannot fix
     */
    public static AutomationException permanent(String errorCode, String message) {
        return new AutomationException(false, errorCode, message, null, null);
    }

    /** @return whether a later attempt may succeed */
    public boolean isTransient() {
        return transientFailure;
    }

    /** @return the stable error code */
    public String errorCode() {
        return errorCode;
    }

    /** @return the earliest sensible retry delay, or null */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
