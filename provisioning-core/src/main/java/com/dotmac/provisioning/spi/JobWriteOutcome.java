package com.dotmac.provisioning.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What became of one write of a batch ({@link JobRepository#commitAll}): written (the job as stored), or not written
 * with the exception {@link JobRepository#commit} would have thrown for it alone ({@link StaleJobException},
 * {@link com.dotmac.provisioning.JobNotFoundException}, or a failure of the store). Immutable.
 *
 * @param jobId the job
 * @param saved the job as stored, with the next version; null when it was not written
 * @param failure why it was not written; null when it was
 */
public record JobWriteOutcome(String jobId, @Nullable StoredJob saved, @Nullable RuntimeException failure) {
    /** Checks that exactly one of {@code saved} and {@code failure} is given. */
    public JobWriteOutcome {
        Objects.requireNonNull(jobId, "jobId");
        if ((saved == null) == (failure == null)) {
            throw new IllegalArgumentException("an outcome is either the saved job or the failure");
        }
    }

    /**
     * @param saved the job as stored
     * @return a written outcome
     */
    public static JobWriteOutcome written(StoredJob saved) {
        return new JobWriteOutcome(saved.id(), saved, null);
    }

    /**
     * @param jobId the job
     * @param failure why it was not written
     * @return an outcome of a job that was not written
     */
    public static JobWriteOutcome failed(String jobId, RuntimeException failure) {
        return new JobWriteOutcome(jobId, null, failure);
    }
}
