package com.dotmac.provisioning.retry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter. Attempt {@code n} (from 1) has the ceiling
 * {@code min(maxDelay, initialDelay × multiplier^(n-1))}, and waits a delay drawn from
 * {@code [ceiling × (1 - jitter), ceiling]}: with a jitter of 0.5 between half and all of the ceiling, with 0 exactly
 * the ceiling.
 *
 * <p>The arithmetic is exact to the nanosecond and cannot overflow: any attempt number (0 and below count as 1, up to
 * {@link Integer#MAX_VALUE}) and any delays up to the longest {@link Duration} give a delay between
 * {@code initialDelay × (1 - jitter)} and {@code maxDelay}, never zero.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.builder().initialDelay(Duration.ofMillis(500)).maxDelay(Duration.ofSeconds(5))
 *         .jitter(0).build();
 * Duration wait = backoff.delay(attempt);      // 500 ms, 1 s, 2 s, 4 s, 5 s, 5 s, ...
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #delay(int)} draws from {@link ThreadLocalRandom}, and
 * {@link #delay(int, DoubleSupplier)} from the caller's source (tests use a fixed one).
 *
 * @param initialDelay the ceiling of the first attempt; positive
 * @param multiplier how much the ceiling grows per attempt; finite and at least 1 (1: a constant ceiling)
 * @param maxDelay the highest ceiling; not shorter than {@code initialDelay}
 * @param jitter the fraction of the ceiling that is random, from 0 (none) to 1
 */
public record Backoff(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {
    /** Default {@link #initialDelay()}: 10 seconds. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(10);
    /** Default {@link #multiplier()}: 2, the ceiling doubles per attempt. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default {@link #maxDelay()}: 5 minutes. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
    /** Default {@link #jitter()}: 0.5, a delay between half and all of the ceiling. */
    public static final double DEFAULT_JITTER = 0.5;
    /** The back-off with every {@code DEFAULT_*} value. */
    public static final Backoff DEFAULT = new Backoff(DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_MAX_DELAY,
            DEFAULT_JITTER);

    /** 34 significant digits: exact for every Duration in nanoseconds (at most 29 digits). */
    private static final MathContext PRECISION = MathContext.DECIMAL128;
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    /**
     * Validates the back-off.
     *
     * @throws NullPointerException when a delay is null
     * @throws IllegalArgumentException naming the first bad value
     */
    public Backoff {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must not be shorter than initialDelay, was " + maxDelay
                    + " < " + initialDelay);
        }
        if (!Double.isFinite(multiplier) || multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be finite and at least 1, was " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * @param initialDelay the first ceiling
     * @param maxDelay the highest ceiling
     * @return a back-off with the default multiplier and jitter
     * @throws IllegalArgumentException when a delay is not positive, or the maximum is shorter than the first
     */
    public static Backoff of(Duration initialDelay, Duration maxDelay) {
        return new Backoff(initialDelay, DEFAULT_MULTIPLIER, maxDelay, DEFAULT_JITTER);
    }

    /**
     * A back-off from four settings of a configuration (a builder's or a properties class's), whose errors name the
     * settings as the configuration calls them: the prefix followed by {@code InitialDelay}, {@code MaxDelay},
     * {@code Multiplier} and {@code Jitter}.
     *
     * @param prefix what the settings' names start with, e.g. {@code retry}
     * @param initialDelay the first ceiling
     * @param maxDelay the highest ceiling
     * @param multiplier the growth per attempt
     * @param jitter the random fraction
     * @return the back-off
     * @throws NullPointerException naming a delay that is null
     * @throws IllegalArgumentException naming the first bad setting, e.g. {@code retryMaxDelay}
     */
    public static Backoff ofSettings(String prefix, Duration initialDelay, Duration maxDelay, double multiplier,
            double jitter) {
        String first = prefix + "InitialDelay";
        String longest = prefix + "MaxDelay";
        Objects.requireNonNull(initialDelay, first);
        Objects.requireNonNull(maxDelay, longest);
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException(first + " must be positive, was " + initialDelay);
        }
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException(longest + " must be positive, was " + maxDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(longest + " must not be shorter than " + first);
        }
        if (!Double.isFinite(multiplier) || multiplier < 1) {
            throw new IllegalArgumentException(prefix + "Multiplier must be finite and at least 1, was " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException(prefix + "Jitter must be between 0 and 1, was " + jitter);
        }
        return new Backoff(initialDelay, multiplier, maxDelay, jitter);
    }

    /** @return a builder holding the {@code DEFAULT_*} values */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** @return a builder holding this back-off's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @param attempt the attempt's number, from 1 (smaller numbers count as 1)
     * @return the longest delay {@link #delay} returns for it: {@code min(maxDelay, initialDelay ×
     *     multiplier^(attempt-1))}, rounded down to the nanosecond
     */
    public Duration ceiling(int attempt) {
        if (attempt <= 1) {
            return initialDelay;
        }
        BigDecimal initial = nanos(initialDelay);
        BigDecimal limit = nanos(maxDelay).divide(initial, PRECISION);
        BigDecimal factor = power(BigDecimal.valueOf(multiplier), attempt - 1, limit);
        if (factor.compareTo(limit) >= 0) {
            return maxDelay;
        }
        Duration ceiling = duration(initial.multiply(factor, PRECISION));
        return ceiling.compareTo(maxDelay) > 0 ? maxDelay : ceiling;
    }

    /**
     * @param attempt the attempt's number, from 1 (smaller numbers count as 1)
     * @return how long to wait before the next attempt, with jitter from {@link ThreadLocalRandom}
     */
    public Duration delay(int attempt) {
        return delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param attempt the attempt's number, from 1 (smaller numbers count as 1)
     * @param random uniform values in [0, 1) (values outside are clamped): 0 gives the shortest delay, towards 1 the
     *     ceiling; not called when {@link #jitter()} is 0
     * @return how long to wait before the next attempt: {@code ceiling - ceiling × jitter × (1 - random)}, rounded
     *     to the nanosecond, at least 1 nanosecond
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        Objects.requireNonNull(random, "random");
        Duration ceiling = ceiling(attempt);
        if (jitter == 0) {
            return ceiling;
        }
        double r = Math.min(1, Math.max(0, random.getAsDouble()));
        BigDecimal cut = nanos(ceiling).multiply(BigDecimal.valueOf(jitter), PRECISION)
                .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(r)), PRECISION);
        Duration delay = ceiling.minus(duration(cut));
        return delay.isZero() ? Duration.ofNanos(1) : delay;
    }

    /**
     * {@code base^exponent}, or {@code cap} as soon as it is certain to reach it (base at least 1), so that the
     * numbers stay small however large the exponent.
     */
    private static BigDecimal power(BigDecimal base, int exponent, BigDecimal cap) {
        BigDecimal result = BigDecimal.ONE;
        BigDecimal square = base;
        int rest = exponent;
        while (true) {
            if ((rest & 1) != 0) {
                result = result.multiply(square, PRECISION);
                if (result.compareTo(cap) >= 0) {
                    return cap;
                }
            }
            rest >>>= 1;
            if (rest == 0) {
                return result;
            }
            square = square.multiply(square, PRECISION);
            if (square.compareTo(cap) >= 0) {
                return cap;
            }
        }
    }

    private static BigDecimal nanos(Duration d) {
        return new BigDecimal(BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(d.getNano())));
    }

    /** @param nanos non-negative, at most the longest Duration */
    private static Duration duration(BigDecimal nanos) {
        BigInteger[] secondsAndNanos = nanos.setScale(0, RoundingMode.FLOOR).toBigIntegerExact()
                .divideAndRemainder(NANOS_PER_SECOND);
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    /** A mutable builder of {@link Backoff}, starting from the defaults or a given back-off; not thread-safe. */
    public static final class Builder {
        private Duration initialDelay;
        private double multiplier;
        private Duration maxDelay;
        private double jitter;

        private Builder(Backoff from) {
            this.initialDelay = from.initialDelay;
            this.multiplier = from.multiplier;
            this.maxDelay = from.maxDelay;
            this.jitter = from.jitter;
        }

        /** @param v the first ceiling (default {@link #DEFAULT_INITIAL_DELAY}) @return this */
        public Builder initialDelay(Duration v) {
            this.initialDelay = v;
            return this;
        }

        /** @param v the growth per attempt, at least 1 (default {@link #DEFAULT_MULTIPLIER}) @return this */
        public Builder multiplier(double v) {
            this.multiplier = v;
            return this;
        }

        /** @param v the highest ceiling (default {@link #DEFAULT_MAX_DELAY}) @return this */
        public Builder maxDelay(Duration v) {
            this.maxDelay = v;
            return this;
        }

        /** @param v the random fraction of the ceiling, 0-1 (default {@link #DEFAULT_JITTER}) @return this */
        public Builder jitter(double v) {
            this.jitter = v;
            return this;
        }

        /**
         * @return the back-off
         * @throws NullPointerException when a delay is null
         * @throws IllegalArgumentException naming the first bad value
         */
        public Backoff build() {
            return new Backoff(initialDelay, multiplier, maxDelay, jitter);
        }
    }
}
