package com.dotmac.provisioning.reliability.support;

import java.util.Random;

/**
 * How big the reliability runs are: CI scale by default, raised with system properties (Maven passes {@code -D}
 * options on to the test JVM): {@code reliability.crash.trials}, {@code reliability.crash.jobsPerTrial},
 * {@code reliability.crash.defaultLeaseTrials},
 * {@code reliability.jobs} and {@code reliability.seed}.
 */
public final class Scale {
    /** Crash trials at CI scale. */
    public static final int DEFAULT_CRASH_TRIALS = 50;
    /** Jobs submitted per crash trial at CI scale. */
    public static final int DEFAULT_JOBS_PER_TRIAL = 4;
    /** Crash trials with the engine's default lease at CI scale (each waits for a lease to run out). */
    public static final int DEFAULT_DEFAULT_LEASE_CRASH_TRIALS = 6;
    /** Jobs of the multi-node run at CI scale. */
    public static final int DEFAULT_JOBS = 2000;

    private Scale() {
    }

    /** @return crash trials ({@code reliability.crash.trials}) */
    public static int crashTrials() {
        return positive("reliability.crash.trials", DEFAULT_CRASH_TRIALS);
    }

    /** @return jobs per crash trial ({@code reliability.crash.jobsPerTrial}) */
    public static int jobsPerCrashTrial() {
        return positive("reliability.crash.jobsPerTrial", DEFAULT_JOBS_PER_TRIAL);
    }

    /** @return crash trials with the engine's default lease ({@code reliability.crash.defaultLeaseTrials}) */
    public static int defaultLeaseCrashTrials() {
        return positive("reliability.crash.defaultLeaseTrials", DEFAULT_DEFAULT_LEASE_CRASH_TRIALS);
    }

    /** @return jobs of the multi-node run ({@code reliability.jobs}) */
    public static int jobs() {
        return positive("reliability.jobs", DEFAULT_JOBS);
    }

    /** @return the seed of the random choices ({@code reliability.seed}; random when unset), shown in the figures */
    public static long seed() {
        String value = System.getProperty("reliability.seed", "").trim();
        return value.isEmpty() ? new Random().nextLong() : Long.parseLong(value);
    }

    private static int positive(String property, int fallback) {
        String value = System.getProperty(property, "").trim();
        int n = value.isEmpty() ? fallback : Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(property + " must be positive, not " + value);
        }
        return n;
    }
}
