package com.dotmac.provisioning;

import java.time.Duration;
import java.util.Objects;

/**
 * Retention: how long finished jobs and their events are kept before a scheduled task deletes them
 * ({@link com.dotmac.provisioning.spi.JobRepository#purgeFinished}). Off by default ({@link #OFF}): jobs are kept for
 * ever. Only jobs the engine is done with go (terminal, tenant status applied, no open launch outcome, no live
 * lease); a deleted job's idempotency key may be used again, so keep jobs longer than callers retry a request.
 * Immutable and thread-safe.
 *
 * @param finishedJobsKeptFor how long after it finished a job is kept; {@link Duration#ZERO} turns retention off
 * @param batchSize the most jobs deleted per transaction; a purge deletes batch after batch until one comes back
 *     short
 * @param interval how often the purge runs on each node (any node may run it: deletes are idempotent)
 */
public record RetentionSettings(Duration finishedJobsKeptFor, int batchSize, Duration interval) {
    /** Default {@link #finishedJobsKeptFor()}: zero, retention off. */
    public static final Duration DEFAULT_FINISHED_JOBS_KEPT_FOR = Duration.ZERO;
    /** Default {@link #batchSize()}: 500. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Default {@link #interval()}: 10 minutes. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
    /** Retention off: finished jobs are kept for ever. */
    public static final RetentionSettings OFF = new RetentionSettings(DEFAULT_FINISHED_JOBS_KEPT_FOR,
            DEFAULT_BATCH_SIZE, DEFAULT_INTERVAL);

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the first bad setting
     * @throws NullPointerException when a duration is null
     */
    public RetentionSettings {
        Objects.requireNonNull(finishedJobsKeptFor, "finishedJobsKeptFor");
        Objects.requireNonNull(interval, "interval");
        if (finishedJobsKeptFor.isNegative()) {
            throw new IllegalArgumentException("finishedJobsKeptFor must be zero (retention off) or positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("retention batchSize must be at least 1");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("retention interval must be positive");
        }
    }

    /**
     * @param finishedJobsKeptFor how long finished jobs are kept; zero for off
     * @return retention with the default batch size and interval
     * @throws IllegalArgumentException when the duration is negative
     */
    public static RetentionSettings keepFinishedJobsFor(Duration finishedJobsKeptFor) {
        return new RetentionSettings(finishedJobsKeptFor, DEFAULT_BATCH_SIZE, DEFAULT_INTERVAL);
    }

    /** @return whether finished jobs are ever deleted */
    public boolean isOn() {
        return !finishedJobsKeptFor.isZero();
    }
}
