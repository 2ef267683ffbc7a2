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
 * <p>A transient failure also says whether the service {@linkplain #mayHaveTakenEffect() may have acted} on the
 * request: a call whose answer was lost (a read timeout, a connection dropped after the request was sent, a gateway's
 * 502 or 504) may have launched a run all the same; a request that was never sent (connection refused, unknown host,
 * TLS handshake) or that the service declined ({@code 429}, {@code 503}) surely did not ({@link #notTaken}). The
 * engine waits for the runner's {@linkplain AutomationRunner#launchSettleTime() launch settle time} only after the
 * former.
 *
 * <p>The message is written for an operator and never contains a secret.
 */
public class AutomationException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final String errorCode;
    private final @Nullable Duration retryAfter;
    private final boolean mayHaveTakenEffect;

    /**
     * A failure that, when transient, may have taken effect (the cautious reading when nothing better is known).
     *
     * @param transientFailure whether a later attempt may succeed
     * @param errorCode a stable code, e.g. {@code AWX_UNAUTHORIZED}
     * @param message what happened and, for permanent failures, what to change
     * @param retryAfter the earliest sensible retry (e.g. from {@code Retry-After}), or null
     * @param cause the underlying failure, or null
     */
    public AutomationException(boolean transientFailure, String errorCode, String message,
            @Nullable Duration retryAfter, @Nullable Throwable cause) {
        this(transientFailure, errorCode, message, retryAfter, cause, transientFailure);
    }

    private AutomationException(boolean transientFailure, String errorCode, String message,
            @Nullable Duration retryAfter, @Nullable Throwable cause, boolean mayHaveTakenEffect) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.retryAfter = retryAfter;
        this.mayHaveTakenEffect = mayHaveTakenEffect;
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
     * A transient failure of a request the service surely did not act on: it was never sent (connection refused,
     * unknown host, TLS handshake failed) or the service declined it ({@code 429 Too Many Requests},
     * {@code 503 Service Unavailable}).
     *
     * @param errorCode a stable code
     * @param message what happened
     * @param retryAfter the earliest sensible retry (e.g. from {@code Retry-After}), or null
     * @param cause the underlying failure, or null
     * @return a failure worth retrying, whose {@link #mayHaveTakenEffect()} is false
     */
    public static AutomationException notTaken(String errorCode, String message, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        return new AutomationException(true, errorCode, message, retryAfter, cause, false);
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

    /**
     * @return whether the service may have acted on the request although the call failed: true for a transient
     *     failure unless it was made by {@link #notTaken}; false for a permanent one (the service refused it)
     */
    public boolean mayHaveTakenEffect() {
        return mayHaveTakenEffect;
    }

    /**
     * @param message another message, e.g. this one with a secret redacted
     * @return a copy with that message and without a cause (which may carry the secret); the same code,
     *     transience, retry delay and {@link #mayHaveTakenEffect()}
     */
    public AutomationException withMessage(String message) {
        return new AutomationException(transientFailure, errorCode, message, retryAfter, null, mayHaveTakenEffect);
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
