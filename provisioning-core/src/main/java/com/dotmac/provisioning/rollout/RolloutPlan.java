package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.rules.FieldErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a rollout proceeds: first a canary of {@code canary} tenants, then waves given either by size
 * ({@code waveSizes}, which must add up to the tenants after the canary) or by percentage of the tenants after the
 * canary ({@code wavePercents}, which must add up to 100), or, with neither, one wave of all of them. A wave starts
 * only when the previous one ended within the {@link FailureThreshold}, and {@code pauseBetweenWaves} after it.
 * At most {@code maxParallel} of the rollout's member jobs are in flight at once, across all nodes. Immutable and
 * thread-safe; build one with {@link #builder()}.
 *
 * @param canary tenants in the first wave, before the others (0: no canary)
 * @param waveSizes the waves after the canary by number of tenants (each at least 1), or empty
 * @param wavePercents the waves after the canary by percentage of those tenants (each 1 to 100, adding up to
 *     100), or empty
 * @param maxParallel the rollout's member jobs in flight at once, 1 to {@link #MAX_PARALLEL}
 * @param failureThreshold when failures pause the rollout
 * @param pauseBetweenWaves the wait after a wave ended before the next starts, 0 to 7 days
 */
public record RolloutPlan(int canary, List<Integer> waveSizes, List<Integer> wavePercents, int maxParallel,
        FailureThreshold failureThreshold, Duration pauseBetweenWaves) {
    /** The most tenants a rollout may have: 100,000. */
    public static final int MAX_MEMBERS = 100_000;
    /** The highest {@code maxParallel}: 10,000. */
    public static final int MAX_PARALLEL = 10_000;
    /** The default {@code maxParallel}: 10. */
    public static final int DEFAULT_MAX_PARALLEL = 10;
    /** The longest pause between waves: 7 days. */
    public static final Duration MAX_PAUSE_BETWEEN_WAVES = Duration.ofDays(7);

    /**
     * Validates the plan and copies its lists.
     *
     * @throws com.dotmac.provisioning.InvalidRequestException naming every bad field ({@code plan.canary},
     *     {@code plan.waves}, {@code plan.max_parallel}, {@code plan.failure_threshold},
     *     {@code plan.pause_between_waves})
     */
    public RolloutPlan {
        FieldErrors errors = new FieldErrors();
        if (canary < 0 || canary > MAX_MEMBERS) {
            errors.add("plan.canary", "must be between 0 and " + MAX_MEMBERS + ", not " + canary);
        }
        waveSizes = waveSizes == null ? List.of() : List.copyOf(waveSizes);
        wavePercents = wavePercents == null ? List.of() : List.copyOf(wavePercents);
        if (!waveSizes.isEmpty() && !wavePercents.isEmpty()) {
            errors.add("plan.waves", "give the waves either by size or by percentage, not both");
        }
        if (waveSizes.stream().anyMatch(size -> size < 1 || size > MAX_MEMBERS)) {
            errors.add("plan.waves", "each wave's size must be between 1 and " + MAX_MEMBERS + ": " + waveSizes);
        }
        if (wavePercents.stream().anyMatch(p -> p < 1 || p > 100)) {
            errors.add("plan.waves", "each wave's percentage must be between 1 and 100: " + wavePercents);
        } else if (!wavePercents.isEmpty() && wavePercents.stream().mapToInt(Integer::intValue).sum() != 100) {
            errors.add("plan.waves", "the wave percentages must add up to 100, not "
                    + wavePercents.stream().mapToInt(Integer::intValue).sum() + ": " + wavePercents);
        }
        if (maxParallel < 1 || maxParallel > MAX_PARALLEL) {
            errors.add("plan.max_parallel", "must be between 1 and " + MAX_PARALLEL + ", not " + maxParallel);
        }
        if (failureThreshold == null) {
            errors.add("plan.failure_threshold", "is required");
        }
        if (pauseBetweenWaves == null || pauseBetweenWaves.isNegative()
                || pauseBetweenWaves.compareTo(MAX_PAUSE_BETWEEN_WAVES) > 0) {
            errors.add("plan.pause_between_waves", "must be between 0 and " + MAX_PAUSE_BETWEEN_WAVES.toDays()
                    + " days, not " + pauseBetweenWaves);
        }
        errors.throwIfAny();
    }

    /** @return a builder: no canary, one wave, {@link #DEFAULT_MAX_PARALLEL}, no failure tolerated, no pause */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Splits a rollout's tenants into its waves: the canary first (when there is one), then the waves by size or by
     * percentage (cumulative percentages rounded up, so that every wave of a small rollout gets a tenant while there
     * are tenants left; waves left empty are dropped).
     *
     * @param members the rollout's tenants
     * @return the size of each wave in order, adding up to {@code members}; empty for no members
     * @throws com.dotmac.provisioning.InvalidRequestException naming {@code plan.canary} or {@code plan.waves} when
     *     the canary exceeds the tenants or the wave sizes do not add up to the tenants after the canary
     */
    public List<Integer> waveSizesFor(int members) {
        FieldErrors errors = new FieldErrors();
        if (canary > members) {
            errors.add("plan.canary", "is " + canary + " but the rollout has " + members + " tenant"
                    + (members == 1 ? "" : "s"));
            errors.throwIfAny();
        }
        int rest = members - canary;
        List<Integer> sizes = new ArrayList<>();
        if (canary > 0) {
            sizes.add(canary);
        }
        if (!waveSizes.isEmpty()) {
            int sum = waveSizes.stream().mapToInt(Integer::intValue).sum();
            if (sum != rest) {
                errors.add("plan.waves", "the wave sizes add up to " + sum + " but the rollout has " + rest
                        + " tenant" + (rest == 1 ? "" : "s") + (canary > 0 ? " after the canary" : ""));
                errors.throwIfAny();
            }
            sizes.addAll(waveSizes);
        } else if (!wavePercents.isEmpty()) {
            int cumulativePercent = 0;
            int assigned = 0;
            for (int percent : wavePercents) {
                cumulativePercent += percent;
                int until = (int) Math.min(rest, (rest * (long) cumulativePercent + 99) / 100);
                if (until > assigned) {
                    sizes.add(until - assigned);
                    assigned = until;
                }
            }
        } else if (rest > 0) {
            sizes.add(rest);
        }
        return List.copyOf(sizes);
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private int canary;
        private List<Integer> waveSizes = List.of();
        private List<Integer> wavePercents = List.of();
        private int maxParallel = DEFAULT_MAX_PARALLEL;
        private FailureThreshold failureThreshold = FailureThreshold.NONE_TOLERATED;
        private Duration pauseBetweenWaves = Duration.ZERO;

        private Builder() {
        }

        /** @param tenants the canary's size (0: none) @return this */
        public Builder canary(int tenants) {
            this.canary = tenants;
            return this;
        }

        /** @param sizes the waves after the canary by number of tenants @return this */
        public Builder waveSizes(Integer... sizes) {
            this.waveSizes = List.of(sizes);
            return this;
        }

        /** @param sizes the waves after the canary by number of tenants @return this */
        public Builder waveSizes(List<Integer> sizes) {
            this.waveSizes = sizes;
            return this;
        }

        /** @param percents the waves after the canary by percentage, adding up to 100 @return this */
        public Builder wavePercents(Integer... percents) {
            this.wavePercents = List.of(percents);
            return this;
        }

        /** @param percents the waves after the canary by percentage, adding up to 100 @return this */
        public Builder wavePercents(List<Integer> percents) {
            this.wavePercents = percents;
            return this;
        }

        /** @param jobs the rollout's member jobs in flight at once @return this */
        public Builder maxParallel(int jobs) {
            this.maxParallel = jobs;
            return this;
        }

        /** @param threshold when failures pause the rollout @return this */
        public Builder failureThreshold(FailureThreshold threshold) {
            this.failureThreshold = threshold;
            return this;
        }

        /** @param pause the wait between waves @return this */
        public Builder pauseBetweenWaves(@Nullable Duration pause) {
            this.pauseBetweenWaves = pause == null ? Duration.ZERO : pause;
            return this;
        }

        /**
         * @return the plan
         * @throws com.dotmac.provisioning.InvalidRequestException naming every bad field
         */
        public RolloutPlan build() {
            return new RolloutPlan(canary, waveSizes, wavePercents, maxParallel, failureThreshold,
                    pauseBetweenWaves);
        }
    }
}
