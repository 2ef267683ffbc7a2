package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.spi.AutomationException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How idempotent requests are retried inside the runner: a bounded number of times after the configured
 * {@link Backoff} (honouring a short {@code Retry-After}), waiting through an injectable sleeper. Immutable and
 * thread-safe.
 *
 * @param maxRetries retries after the first attempt
 * @param backoff the delay before each retry
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one ends the retries
 * @param sleeper waits between attempts
 */
public record AwxRetries(int maxRetries, Backoff backoff, Duration maxRetryAfter,
        AwxAutomationRunner.Sleeper sleeper) {
    private static final Logger log = LoggerFactory.getLogger(AwxHttp.class);

    /** Checks the parts are present. */
    public AwxRetries {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * @param config the runner's configuration
     * @param sleeper waits between attempts
     * @return the configuration's retries
     */
    public static AwxRetries of(AwxConfig config, AwxAutomationRunner.Sleeper sleeper) {
        return new AwxRetries(config.maxRetries(), config.retryBackoff(), config.maxRetryAfter(), sleeper);
    }

    /**
     * Makes attempts until one succeeds, fails for good, or the retries are used up.
     *
     * @param target the request, e.g. {@code GET /api/v2/jobs/}, for the log
     * @param what what the request is for
     * @param retryable whether repeating the request is harmless
     * @param attempt makes one attempt
     * @param <T> the answer
     * @return the first answer
     * @throws AutomationException the last attempt's fault: a permanent one, or a transient one after the retries
     *     (or with a {@code Retry-After} longer than {@link #maxRetryAfter()})
     */
    public <T> T run(String target, String what, boolean retryable, Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (AutomationException e) {
                // an interrupted thread's call was given up by its caller: no retry (it would fail at once anyway)
                if (!retryable || !e.isTransient() || n > maxRetries || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Duration delay = backoff.delay(n);
                Duration retryAfter = e.retryAfter();
                if (retryAfter != null) {
                    if (retryAfter.compareTo(maxRetryAfter) > 0) {
                        throw e;
                    }
                    delay = retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
                }
                log.warn("AWX {} to {} failed ({}: {}); retry {} of {} in {} ms", target, what, e.errorCode(),
                        e.getMessage(), n, maxRetries, delay.toMillis());
                sleep(delay, what);
            }
        }
    }


    private void sleep(Duration delay, String what) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AutomationException.transientFailure(AwxErrorCodes.UNREACHABLE,
                    "interrupted while waiting to retry " + what, e);
        }
    }
}
