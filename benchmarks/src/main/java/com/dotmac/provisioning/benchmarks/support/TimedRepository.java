package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link JobRepository} that times the calls the engine makes on another one (per method, with the jobs claimed
 * and rescheduled). Thread-safe when the wrapped repository is.
 *
 * @param target the real repository
 * @param timings where the times go
 */
public record TimedRepository(JobRepository target, Timings timings) implements JobRepository {
    @Override
    public StoredJob create(StoredJob job, List<JobEvent> events) {
        return timings.time("repository.create", () -> target.create(job, events));
    }

    @Override
    public Optional<StoredJob> find(String jobId) {
        return timings.time("repository.find", () -> target.find(jobId));
    }

    @Override
    public Optional<StoredJob> findActive(String tenantId) {
        return timings.time("repository.findActive", () -> target.findActive(tenantId));
    }

    @Override
    public Optional<StoredJob> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        return timings.time("repository.findByIdempotencyKey", () -> target.findByIdempotencyKey(tenantId,
                idempotencyKey));
    }

    @Override
    public JobPage page(String tenantId, int page, int pageSize) {
        return timings.time("repository.page", () -> target.page(tenantId, page, pageSize));
    }

    @Override
    public List<StoredJob> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        List<StoredJob> claimed = timings.time("repository.claimDue", () -> target.claimDue(owner, now, leaseUntil,
                limit));
        timings.items("repository.claimDue", claimed.size());
        return claimed;
    }

    @Override
    public Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil) {
        return timings.time("repository.claim", () -> target.claim(jobId, owner, now, leaseUntil));
    }

    @Override
    public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
        return timings.time("repository.commit", () -> target.commit(job, newEvents));
    }

    @Override
    public int reschedule(Collection<StoredJob> jobs, Instant nextCheckAt) {
        int written = timings.time("repository.reschedule", () -> target.reschedule(jobs, nextCheckAt));
        timings.items("repository.reschedule", written);
        return written;
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
        return timings.time("repository.renewLeases", () -> target.renewLeases(owner, jobIds, leaseUntil));
    }

    @Override
    public List<JobEvent> events(String jobId) {
        return timings.time("repository.events", () -> target.events(jobId));
    }

    @Override
    public long countRunsInFlight() {
        return timings.time("repository.countRunsInFlight", target::countRunsInFlight);
    }

    @Override
    public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap) {
        return timings.time("repository.commitIfRunsInFlightBelow",
                () -> target.commitIfRunsInFlightBelow(job, newEvents, cap));
    }

    @Override
    public int purgeFinished(Instant finishedBefore, Instant now, int limit) {
        int purged = timings.time("repository.purgeFinished", () -> target.purgeFinished(finishedBefore, now, limit));
        timings.items("repository.purgeFinished", purged);
        return purged;
    }
}
