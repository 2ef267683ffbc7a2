package com.dotmac.provisioning;

import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts each job's writes after its insert (commits, capped or not, and reschedules), and can fail a job's next
 * commit as a lost database would; for the tests that count a lifecycle's writes. Thread-safe.
 */
final class JobWriteCounter extends ForwardingJobRepository {
    private final Map<String, Integer> writes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failNext = new ConcurrentHashMap<>();

    JobWriteCounter(JobRepository delegate) {
        super(delegate);
    }

    int writesOf(String jobId) {
        return writes.getOrDefault(jobId, 0);
    }

    StoredJob stored(String jobId) {
        return find(jobId).orElseThrow();
    }

    void failNextCommitOf(String jobId) {
        failNext.put(jobId, true);
    }

    @Override
    public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
        if (failNext.remove(job.id()) != null) {
            throw new RepositoryUnavailableException("the database went away", null);
        }
        StoredJob saved = super.commit(job, newEvents);
        writes.merge(job.id(), 1, Integer::sum);
        return saved;
    }

    @Override
    public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap) {
        Optional<StoredJob> saved = super.commitIfRunsInFlightBelow(job, newEvents, cap);
        saved.ifPresent(s -> writes.merge(job.id(), 1, Integer::sum));
        return saved;
    }

    @Override
    public int reschedule(Collection<StoredJob> jobs, Instant nextCheckAt) {
        int n = super.reschedule(jobs, nextCheckAt);
        jobs.forEach(j -> writes.merge(j.id(), 1, Integer::sum));
        return n;
    }
}
