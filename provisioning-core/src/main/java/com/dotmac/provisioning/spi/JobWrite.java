package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.JobEvent;
import java.util.List;
import java.util.Objects;

/**
 * One write of a batch ({@link JobRepository#commitAll}): a changed job and its new events, as
 * {@link JobRepository#commit} takes them. Immutable.
 *
 * @param job the changed job, carrying the version it was read with
 * @param newEvents events to append to its timeline
 */
public record JobWrite(StoredJob job, List<JobEvent> newEvents) {
    /** Checks the fields and copies the events. */
    public JobWrite {
        Objects.requireNonNull(job, "job");
        newEvents = List.copyOf(newEvents);
    }
}
