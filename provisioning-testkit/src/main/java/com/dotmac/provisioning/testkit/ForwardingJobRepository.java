package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link JobRepository} that forwards every call to another one; a test overrides the calls it wants to fail or
 * slow down (a lost statement, a database that cannot be reached for a while). Thread-safe when the repository it
 * wraps and the overrides are.
 *
 * <p>{@link JobRepository#commitAll} is not forwarded: the interface's default writes each job through this class's
 * {@link #commit}, so an override of {@code commit} also governs batch writes. A subclass that wants the wrapped
 * repository's own batch write overrides {@code commitAll} to forward it.
 */
public abstract class ForwardingJobRepository implements JobRepository {
    private final JobRepository delegate;

    /** @param delegate the repository that does the work */
    protected ForwardingJobRepository(JobRepository delegate) {
        this.delegate = delegate;
    }

    /** @return the repository that does the work */
    protected final JobRepository delegate() {
        return delegate;
    }

    @Override
    public StoredJob create(StoredJob job, List<JobEvent> events) {
        return delegate.create(job, events);
    }

    @Override
    public Optional<StoredJob> find(String jobId) {
        return delegate.find(jobId);
    }

    @Override
    public Optional<StoredJob> findActive(String tenantId) {
        return delegate.findActive(tenantId);
    }

    @Override
    public Optional<StoredJob> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        return delegate.findByIdempotencyKey(tenantId, idempotencyKey);
    }

    @Override
    public JobPage page(String tenantId, int page, int pageSize) {
        return delegate.page(tenantId, page, pageSize);
    }

    @Override
    public JobPage search(JobQuery query, int page, int pageSize) {
        return delegate.search(query, page, pageSize);
    }

    @Override
    public List<StoredJob> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        return delegate.claimDue(owner, now, leaseUntil, limit);
    }

    @Override
    public Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil) {
        return delegate.claim(jobId, owner, now, leaseUntil);
    }

    @Override
    public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
        return delegate.commit(job, newEvents);
    }

    @Override
    public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap) {
        return delegate.commitIfRunsInFlightBelow(job, newEvents, cap);
    }

    @Override
    public int reschedule(Collection<StoredJob> jobs, Instant nextCheckAt) {
        return delegate.reschedule(jobs, nextCheckAt);
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
        return delegate.renewLeases(owner, jobIds, leaseUntil);
    }

    @Override
    public int purgeFinished(Instant finishedBefore, Instant now, int limit) {
        return delegate.purgeFinished(finishedBefore, now, limit);
    }

    @Override
    public Optional<Instant> currentTime() {
        return delegate.currentTime();
    }

    @Override
    public List<JobEvent> events(String jobId) {
        return delegate.events(jobId);
    }

    @Override
    public long countDue(Instant now) {
        return delegate.countDue(now);
    }

    @Override
    public long countRunsInFlight() {
        return delegate.countRunsInFlight();
    }
}
