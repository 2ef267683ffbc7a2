package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.AwxConfig;
import java.time.Duration;

/**
 * How idempotent requests are retried inside the runner: a bounded number of times with a doubling back-off
 * (honouring a short {@code Retry-After}), waiting through an injectable sleeper. Immutable and thread-safe.
 *
 * @param maxRetries retries after the first attempt
 * @param initialDelay the first back-off
 * @param maxDelay the longest back-off
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one ends the retries
 * @param sleeper waits between attempts
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter,
        AwxAutomationRunner.Sleeper sleeper) {

    /**
     * @param config the runner's configuration
     * @param sleeper waits between attempts
     * @return the configuration's policy
     */
    public static RetryPolicy of(AwxConfig config, AwxAutomationRunner.Sleeper sleeper) {
        return new RetryPolicy(config.maxRetries(), config.retryInitialDelay(), config.retryMaxDelay(),
                config.maxRetryAfter(), sleeper);
    }

    /**
     * @param retry the retry number, from 1
     * @return the back-off before it
     */
    public Duration delay(int retry) {
        Duration delay = initialDelay;
        for (int i = 1; i < retry && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
