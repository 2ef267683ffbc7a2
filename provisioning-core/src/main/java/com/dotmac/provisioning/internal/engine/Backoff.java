package com.dotmac.provisioning.internal.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter: attempt n waits between half and all of {@code min(max, initial * 2^(n-1))}.
 * Thread-safe.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /**
     * @param initial the first delay
     * @param max the longest delay
     */
    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param initial the first delay
     * @param max the longest delay
     * @param random uniform values in [0, 1), for the jitter
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /**
     * @param attempt the failed attempt's number, from 1
     * @return how long to wait before the next one
     */
    public Duration delay(int attempt) {
        int shift = Math.min(Math.max(attempt, 1) - 1, 30);
        long ceiling = Math.min(max.toMillis(), initial.toMillis() * (1L << shift));
        if (ceiling <= 0) {
            ceiling = max.toMillis();
        }
        long jittered = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
        return Duration.ofMillis(Math.max(1, jittered));
    }

    /**
     * @param attempt the failed attempt's number, from 1
     * @return the longest delay {@link #delay} can return for it
     */
    public Duration ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt, 1) - 1, 30);
        return Duration.ofMillis(Math.min(max.toMillis(), initial.toMillis() * (1L << shift)));
    }
}
