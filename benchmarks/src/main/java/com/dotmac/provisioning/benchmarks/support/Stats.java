package com.dotmac.provisioning.benchmarks.support;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Order statistics of a sample (nearest-rank percentiles; the median of an even sample is its lower middle value).
 * Immutable.
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

    /**
     * A ratio measured in several runs, as the report shows it: the median, the spread of the runs and their number,
     * e.g. {@code 2.05 (1.91–2.30, 3 runs)}.
     *
     * @param decimals digits after the point
     * @return the median, min–max and count; {@code n/a} for an empty sample
     */
    public String medianAndSpread(int decimals) {
        if (sorted.length == 0) {
            return "n/a";
        }
        return Report.num(median(), decimals) + " (" + Report.num(min(), decimals) + "–" + Report.num(max(), decimals)
                + ", " + sorted.length + (sorted.length == 1 ? " run)" : " runs)");
    }

    /**
     * @param numerators one value per run
     * @param denominators one value per run, in the same order
     * @return the statistics of the per-run ratios {@code numerators[i] / denominators[i]}
     * @throws IllegalArgumentException when the lists differ in size
     */
    public static Stats ofRatios(List<Double> numerators, List<Double> denominators) {
        if (numerators.size() != denominators.size()) {
            throw new IllegalArgumentException(numerators.size() + " numerators for " + denominators.size()
                    + " denominators");
        }
        double[] ratios = new double[numerators.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = numerators.get(i) / denominators.get(i);
        }
        return new Stats(ratios);
    }

    /** @return the mean, or NaN */
    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
    }
}
