package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.RetentionSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Retention of finished jobs, bound under {@code provisioning.retention} as part of {@link ProvisioningProperties};
 * the defaults are the {@code DEFAULT_*} constants of {@link RetentionSettings}. Off unless
 * {@code finished-jobs-after} is set. Not thread-safe: bound once at start-up.
 */
public class RetentionProperties {
    /**
     * How long after it finished a job and its events are kept before they are deleted, e.g. 90d. Unset or 0:
     * retention off, finished jobs are kept for ever. A deleted job's idempotency key may be used again.
     */
    private @Nullable Duration finishedJobsAfter;

    /** The most jobs deleted per transaction; each run deletes batch after batch until one comes back short. */
    private int batchSize = RetentionSettings.DEFAULT_BATCH_SIZE;

    /** How often each node runs the retention purge (any node may: deletes are idempotent). */
    private Duration interval = RetentionSettings.DEFAULT_INTERVAL;

    /** @return how long finished jobs are kept, or null for ever */
    public @Nullable Duration getFinishedJobsAfter() {
        return finishedJobsAfter;
    }

    /** @param finishedJobsAfter how long finished jobs are kept, or null (or zero) for ever */
    public void setFinishedJobsAfter(@Nullable Duration finishedJobsAfter) {
        this.finishedJobsAfter = finishedJobsAfter;
    }

    /** @return the most jobs deleted per transaction */
    public int getBatchSize() {
        return batchSize;
    }

    /** @param batchSize the most jobs deleted per transaction */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    /** @return how often the purge runs */
    public Duration getInterval() {
        return interval;
    }

    /** @param interval how often the purge runs */
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    /**
     * @return the engine's retention settings from these properties
     * @throws IllegalArgumentException naming a bad setting
     */
    public RetentionSettings toSettings() {
        return new RetentionSettings(finishedJobsAfter == null ? Duration.ZERO : finishedJobsAfter, batchSize,
                interval);
    }
}
