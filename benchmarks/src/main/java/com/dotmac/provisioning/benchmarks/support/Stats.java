package com.dotmac.provisioning.benchmarks.support;

import java.util.Arrays;
import java.util.Collection;

/**
 * Order statistics of a sample (nearest-rank percentiles). Immutable.
 *
 * @param sorted the values, ascending
 */
public record Stats(double[] sorted) {
    /** Copies and sorts the values. */
    public Stats {
        sorted = sorted.clone();
        Arrays.sort(sorted);
    }

    /**
     * @param values the sample
     * @return its statistics
     */
    public static Stats of(Collection<? extends Number> values) {
        return new Stats(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** @return how many values */
    public int count() {
        return sorted.length;
    }

    /**
     * @param p a percentile, 0-100
     * @return the nearest-rank value, or NaN for an empty sample
     */
    public double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** @return the median */
    public double median() {
        return percentile(50);
    }

    /** @return the smallest value, or NaN */
    public double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    /** @return the largest value, or NaN */
    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** @return the mean, or NaN */
    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
    }
}
