package com.dotmac.provisioning.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {
    private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    private static final int[] ATTEMPTS = {Integer.MIN_VALUE, -1, 0, 1, 2, 31, 32, 62, 63, 64, 65, 1000,
        Integer.MAX_VALUE - 1, Integer.MAX_VALUE};

    /** The engine's back-off (formerly internal/BackoffAndTokensTest). */
    @Test
    void backoffDoublesWithJitterUpToTheMaximum() {
        Random random = new Random(7);
        Backoff backoff = Backoff.of(Duration.ofSeconds(10), Duration.ofMinutes(5));
        for (int attempt = 1; attempt <= 10; attempt++) {
            Duration ceiling = Duration.ofSeconds(Math.min(300, 10L << (attempt - 1)));
            assertThat(backoff.ceiling(attempt)).isEqualTo(ceiling);
            for (int i = 0; i < 50; i++) {
                assertThat(backoff.delay(attempt, random::nextDouble)).isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
        assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    /** The AWX runner's back-off (formerly awx/internal/RetryPolicy): doubling without jitter. */
    @Test
    void withoutJitterTheDelayIsTheDoubledCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), 2, Duration.ofSeconds(5), 0);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(n -> backoff.delay(n, () -> {
            throw new AssertionError("no jitter, no random value");
        })).map(Duration::toMillis)).containsExactly(500L, 1000L, 2000L, 4000L, 5000L, 5000L, 5000L);
    }

    @Test
    void theDefaultsAreTheEnginesFormerOnes() {
        assertThat(Backoff.builder().build()).isEqualTo(Backoff.DEFAULT)
                .isEqualTo(new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), 0.5));
        assertThat(Backoff.DEFAULT.delay(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Backoff.DEFAULT.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(7500));
        assertThat(Backoff.DEFAULT.delay(1, () -> 0.999)).isEqualTo(Duration.ofMillis(9995));
        assertThat(Backoff.DEFAULT.toBuilder().jitter(0).build().delay(3)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void attemptsBelowOneCountAsTheFirst() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 3, Duration.ofHours(1), 0);
        assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(-5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(Integer.MIN_VALUE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void largeAttemptNumbersReachTheMaximumWithoutOverflow() {
        Backoff backoff = new Backoff(Duration.ofNanos(1), 2, LONGEST, 0);
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofNanos(1));
        assertThat(backoff.delay(62)).isEqualTo(Duration.ofNanos(1L << 61));
        assertThat(backoff.delay(63)).isEqualTo(Duration.ofNanos(1L << 62));
        // 2^63 ns no longer fits a long of nanoseconds, but fits a Duration
        assertThat(backoff.delay(64)).isEqualTo(Duration.ofNanos(1L << 62).multipliedBy(2));
        assertThat(backoff.delay(65)).isEqualTo(Duration.ofNanos(1L << 62).multipliedBy(4));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(LONGEST);
        assertThat(Backoff.of(Duration.ofMillis(1), Duration.ofDays(1)).ceiling(Integer.MAX_VALUE))
                .isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE / 3})
    void initialDelaysNearTheLargestNanosecondCountNeverOverflow(long nanos) {
        Duration initial = Duration.ofNanos(nanos);
        for (Duration max : new Duration[] {initial, initial.multipliedBy(2), LONGEST}) {
            for (double jitter : new double[] {0, 0.5, 1}) {
                Backoff backoff = new Backoff(initial, 2, max, jitter);
                for (int attempt : ATTEMPTS) {
                    Duration ceiling = backoff.ceiling(attempt);
                    assertThat(ceiling).isBetween(initial, max);
                    for (double r : new double[] {0, 0.5, 0.999_999}) {
                        Duration delay = backoff.delay(attempt, () -> r);
                        assertThat(delay).isPositive().isLessThanOrEqualTo(ceiling);
                        if (jitter == 0) {
                            assertThat(delay).isEqualTo(ceiling);
                        } else if (jitter == 0.5) {
                            assertThat(delay).isGreaterThanOrEqualTo(ceiling.minus(ceiling.dividedBy(2)));
                        }
                    }
                }
                assertThat(backoff.ceiling(64)).isEqualTo(max);
                assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(max);
            }
        }
    }

    @Test
    void theLongestDurationIsAUsableInitialDelay() {
        Backoff backoff = new Backoff(LONGEST, 10, LONGEST, 0.5);
        for (int attempt : ATTEMPTS) {
            assertThat(backoff.ceiling(attempt)).isEqualTo(LONGEST);
            assertThat(backoff.delay(attempt, () -> 0.0)).isEqualTo(LONGEST.minus(LONGEST.dividedBy(2)));
            assertThat(backoff.delay(attempt, () -> 1.0)).isEqualTo(LONGEST);
        }
    }

    @Test
    void aMultiplierOfOneKeepsTheDelayAndSlowGrowthStaysCheap() {
        assertThat(new Backoff(Duration.ofSeconds(3), 1, Duration.ofMinutes(1), 0).delay(Integer.MAX_VALUE))
                .isEqualTo(Duration.ofSeconds(3));
        Backoff slow = new Backoff(Duration.ofNanos(1), 1.000_001, LONGEST, 0);
        assertThat(slow.delay(1_000_000)).isBetween(Duration.ofNanos(2), Duration.ofNanos(3));
        assertThat(slow.delay(Integer.MAX_VALUE)).isEqualTo(LONGEST);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("initialDelay must be positive");
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxDelay must not be shorter than initialDelay");
        assertThatThrownBy(() -> Backoff.builder().multiplier(0.5).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Backoff.builder().multiplier(Double.NaN).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Backoff.builder().multiplier(Double.POSITIVE_INFINITY).build())
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Backoff.builder().jitter(1.5).build()).hasMessageContaining("jitter");
        assertThatThrownBy(() -> Backoff.builder().jitter(Double.NaN).build()).hasMessageContaining("jitter");
        assertThatThrownBy(() -> Backoff.builder().initialDelay(null).build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void settingsOfAConfigurationAreNamedAsTheConfigurationCallsThem() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> Backoff.ofSettings("retry", Duration.ZERO, second, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("retryInitialDelay must be positive");
        assertThatThrownBy(() -> Backoff.ofSettings("retry", second, Duration.ofMillis(500), 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryMaxDelay must not be shorter than retryInitialDelay");
        assertThatThrownBy(() -> Backoff.ofSettings("retry", second, second, 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("retryMultiplier must be");
        assertThatThrownBy(() -> Backoff.ofSettings("retry", second, second, 2, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("retryJitter must be");
        assertThatThrownBy(() -> Backoff.ofSettings("retry", second, null, 2, 0))
                .isInstanceOf(NullPointerException.class).hasMessage("retryMaxDelay");
        assertThat(Backoff.ofSettings("retry", second, Duration.ofSeconds(8), 3, 0.25))
                .isEqualTo(new Backoff(second, 3, Duration.ofSeconds(8), 0.25));
    }
}
