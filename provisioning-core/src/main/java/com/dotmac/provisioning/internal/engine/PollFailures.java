package com.dotmac.provisioning.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts each job's failed polls in a row, for the back-off of its next poll. Per job, not per node: the failing
 * polls of some jobs (their runs' service is out) must neither lengthen the back-off of another job's first failed
 * poll nor be reset by another job's successful poll, and a failed single poll counts for its job like a failed
 * batch does. A job's count ends with its next successful poll; counts that were not touched for
 * {@link #FORGET_AFTER} are forgotten (the job ended or moved to another node), so that the map stays small.
 *
 * <p>Thread-safe: a concurrent map of immutable entries, changed atomically per job.
 */
final class PollFailures {
    /** How long a job's count is kept without a new failure; longer than any back-off between two polls. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    /**
     * Records a failed poll of a job.
     *
     * @param jobId the job
     * @param now the engine's time
     * @return how many polls of the job failed in a row, this one included (from 1)
     */
    int failed(String jobId, Instant now) {
        counts.values().removeIf(c -> c.last().plus(FORGET_AFTER).isBefore(now));
        return counts.merge(jobId, new Count(1, now), (was, one) -> new Count(was.inARow() + 1, now)).inARow();
    }

    /** Records a successful poll of a job (its run's status came back): its next failure counts from 1 again. */
    void succeeded(String jobId) {
        counts.remove(jobId);
    }

    /** A job's failed polls in a row and the time of the last one. */
    private record Count(int inARow, Instant last) {
    }
}
