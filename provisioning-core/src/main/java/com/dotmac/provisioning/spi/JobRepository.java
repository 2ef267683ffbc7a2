package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of jobs and their timelines. Implementations must be thread-safe and safe to share between
 * engines on several nodes (each with its own instance over one database). Every write is atomic: a job and its new
 * events are stored together or not at all. Every write increments {@link StoredJob#version()}, except
 * {@link #renewLeases}, which only moves the end of leases their holder already has.
 *
 * <p>Implementations: {@code InMemoryJobRepository} (core; not durable), {@code JdbcJobRepository}
 * ({@code provisioning-jdbc}). Every implementation passes {@code JobRepositoryContract} from
 * {@code provisioning-testkit}. Both are also an {@link EventOutbox}: every write that changes a job's status stores
 * its events for the host's event consumers in the same transaction ({@code EventOutboxContract}).
 *
 * <p>Text: a repository stores every Java string a job or event carries (a runner's failure detail, Ansible's
 * output and artifacts may hold any character), so that no write fails for its text. It may store NUL (U+0000) and an
 * unpaired surrogate as U+FFFD, which some databases cannot store otherwise (PostgreSQL refuses NUL in {@code text}
 * and {@code jsonb}); every other character, other control characters included, is kept. {@code JdbcJobRepository}
 * replaces them on every database; {@code InMemoryJobRepository} keeps them.
 *
 * <p>Time: lease expiry and due times are decided on the repository's time when it has one ({@link #currentTime()}):
 * the engine measures how far its own clock is from that time (when it starts and on every lease heartbeat) and
 * passes {@code now}, lease ends and due times on the repository's time, so that nodes whose clocks disagree still
 * agree on which lease has run out. Times are compared as given; a repository without a clock of its own
 * ({@link #currentTime()} empty, e.g. the in-memory one) leaves the engine's clock to decide.
 */
public interface JobRepository {

    /**
     * Stores a new job with its first events, atomically enforcing one active job per tenant and one job per
     * (tenant, idempotency key).
     *
     * @param job the new job (its version is ignored; the stored job has version 1)
     * @param events its first events
     * @return the stored job; or, when the tenant already has a job with the same idempotency key, that job,
     *     unchanged (the caller detects this by the differing id)
     * @throws ActiveJobConflictException when the tenant already has a queued or in-progress job
     */
    StoredJob create(StoredJob job, List<JobEvent> events);

    /**
     * @param jobId a job id
     * @return the job, or empty
     */
    Optional<StoredJob> find(String jobId);

    /**
     * @param tenantId a tenant
     * @return its queued or in-progress job, or empty
     */
    Optional<StoredJob> findActive(String tenantId);

    /**
     * @param tenantId a tenant
     * @param idempotencyKey a caller's idempotency key
     * @return the tenant's job created with that key, or empty
     */
    Optional<StoredJob> findByIdempotencyKey(String tenantId, String idempotencyKey);

    /**
     * Reads several jobs at once (a rollout looks at its members' jobs every sweep). The default calls {@link #find}
     * for each; a database repository should read them in a few statements.
     *
     * @param jobIds job ids
     * @return the jobs that exist (ids that do not are absent), in no particular order
     */
    default List<StoredJob> findAll(Collection<String> jobIds) {
        List<StoredJob> found = new ArrayList<>();
        for (String id : jobIds) {
            find(id).ifPresent(found::add);
        }
        return found;
    }

    /**
     * @param tenantId a tenant
     * @param page the page number, from 1
     * @param pageSize jobs per page, at least 1
     * @return the tenant's jobs, newest first (by creation time, then id), with the total count
     */
    JobPage page(String tenantId, int page, int pageSize);

    /**
     * Lists jobs across tenants (an operator's view). The default refuses: a repository that does not implement it
     * leaves operator tools without the cross-tenant lists; the in-memory and JDBC repositories implement it.
     *
     * @param query which jobs
     * @param page the page number, from 1
     * @param pageSize jobs per page, at least 1
     * @return the matching jobs, newest first (by creation time, then id), with the total count
     * @throws UnsupportedOperationException when this repository cannot search
     */
    default JobPage search(JobQuery query, int page, int pageSize) {
        throw new UnsupportedOperationException(getClass().getName() + " does not list jobs across tenants");
    }

    /**
     * Claims due jobs for one engine: jobs whose {@code nextCheckAt} is at or before {@code now} and whose lease is
     * absent or expired at {@code now}, earliest {@code nextCheckAt} first. The claimed jobs get the lease
     * ({@code owner}, {@code leaseUntil}) and a new version. Two concurrent claims never return the same job.
     *
     * @param owner the claiming node
     * @param now the engine's current time (on the repository's time: {@link #currentTime()})
     * @param leaseUntil when the new leases expire
     * @param limit the most jobs to claim
     * @return the claimed jobs as stored after the claim
     */
    List<StoredJob> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

    /**
     * Claims one job if it is due (as {@link #claimDue}).
     *
     * @param jobId the job
     * @param owner the claiming node
     * @param now the engine's current time
     * @param leaseUntil when the lease expires
     * @return the claimed job, or empty when it is unknown, not due, or leased by somebody
     */
    Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil);

    /**
     * Writes a changed job and its new events in one transaction, if nobody wrote the job since it was read.
     *
     * @param job the changed job, carrying the version it was read with
     * @param newEvents events to append to its timeline
     * @return the job as stored, with the next version
     * @throws StaleJobException when the stored version differs from {@code job.version()} (nothing is written)
     * @throws com.dotmac.provisioning.JobNotFoundException when the job does not exist
     */
    StoredJob commit(StoredJob job, List<JobEvent> newEvents);

    /**
     * Writes several changed jobs, each with its new events, each as {@link #commit} writes one: version-checked and
     * atomic per job, and independent of each other (a stale or failed job does not keep the others from being
     * written). The engine calls it for the ends of a sweep's poll batch. The default calls {@link #commit} for each
     * write, in order, so a repository that does not implement it keeps working; a database repository should write
     * them in a few statements (e.g. one JDBC batch in one transaction), still checking each job's version.
     *
     * <p>Thread-safe, like every method of a repository.
     *
     * @param writes the changed jobs with their events; at most one write per job
     * @return one outcome per write, in the order of {@code writes}: the job as stored, or, for a job not written,
     *     the exception {@link #commit} would have thrown for it ({@link StaleJobException} when it changed since
     *     it was read, {@link com.dotmac.provisioning.JobNotFoundException} when it does not exist, else the store's
     *     failure); nothing is written for a job not written
     */
    default List<JobWriteOutcome> commitAll(List<JobWrite> writes) {
        List<JobWriteOutcome> outcomes = new ArrayList<>(writes.size());
        for (JobWrite w : writes) {
            try {
                outcomes.add(JobWriteOutcome.written(commit(w.job(), w.newEvents())));
            } catch (RuntimeException e) {
                outcomes.add(JobWriteOutcome.failed(w.job().id(), e));
            }
        }
        return outcomes;
    }

    /**
     * Releases the leases of jobs that need nothing but another look later (e.g. runs still running), setting
     * their next check time: one cheap write for many jobs. Each job is written only if its version still matches;
     * the others are skipped silently.
     *
     * @param jobs jobs as read (with their versions)
     * @param nextCheckAt when to look at them again
     * @return how many jobs were written
     */
    int reschedule(Collection<StoredJob> jobs, Instant nextCheckAt);

    /**
     * Extends the leases an owner holds: sets {@code leaseUntil} of each listed job whose lease owner is
     * {@code owner}, whether or not that lease has run out (nobody else claimed the job meanwhile, or the owner would
     * differ). Nothing else changes, not even the version, so the holder's next version-checked write still succeeds;
     * a job another node claimed (a claim changes owner and version) or that was released is not touched. Engines
     * call this from a heartbeat every few seconds for the jobs they are working on, so that a lease can be short (a
     * dead node's work is taken over soon) while a live node keeps the jobs it works on however long a step takes.
     *
     * @param owner the node whose leases to extend
     * @param jobIds the jobs it believes it holds (unknown ids are skipped)
     * @param leaseUntil the new end of those leases
     * @return the ids of the listed jobs that {@code owner} holds after the call (their leases now end at
     *     {@code leaseUntil}); a listed job missing here was lost or released
     */
    Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil);

    /**
     * The repository's current time, shared by every engine that uses it: for a database, the database server's
     * clock, read in one short statement (the time at the moment the statement runs, not the start of a transaction).
     * Engines align their clocks to it, so that lease expiry and due times are decided on one clock whatever the
     * nodes' clocks say. Thread-safe.
     *
     * @return the current time, or empty when the repository has no clock of its own (the default; the engine then
     *     uses its own clock as it is)
     * @throws RuntimeException when the time cannot be read (e.g. the database cannot be reached); the engine then
     *     keeps the offset it measured last
     */
    default Optional<Instant> currentTime() {
        return Optional.empty();
    }

    /**
     * @param jobId a job
     * @return its timeline in the order the events were stored; empty for an unknown job
     */
    List<JobEvent> events(String jobId);

    /**
     * @return how many runs are in flight: jobs in progress plus queued jobs whose launch is pending
     */
    long countRunsInFlight();

    /**
     * How many jobs are due and not leased now: the engine's backlog (a health check reports it after an outage).
     * Optional: the default says it is not supported.
     *
     * @param now the time to compare due times and leases with
     * @return the number of jobs a sweep at {@code now} could claim
     * @throws UnsupportedOperationException when this repository cannot count them
     * @throws RepositoryUnavailableException when the repository cannot be reached
     */
    default long countDue(Instant now) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not count due jobs");
    }

    /**
     * Writes a changed job and its new events as {@link #commit} does, but only while fewer than {@code cap} runs are
     * in flight, not counting this job: the count and the write are one atomic step across every engine sharing the
     * store, so concurrent callers (on any node) never together take more than {@code cap} places. "In flight" is
     * what {@link #countRunsInFlight()} counts: jobs in progress plus queued jobs whose launch is pending. The engine
     * calls it to record "launch pending" before a launch when a cap on runs in flight is set.
     *
     * <p>Thread-safe and safe across nodes: implementations serialize these calls against each other (e.g. under
     * one lock, or a database row locked for the transaction); plain {@link #commit}s are not held back.
     *
     * @param job the changed job, carrying the version it was read with
     * @param newEvents events to append to its timeline
     * @param cap the most runs in flight, at least 1
     * @return the job as stored, with the next version; or empty when {@code cap} or more other runs are in flight
     *     (nothing is written, and the job's version is not checked)
     * @throws StaleJobException when the count allows the write but the stored version differs from
     *     {@code job.version()} (nothing is written)
     * @throws com.dotmac.provisioning.JobNotFoundException when the count allows the write but the job does not exist
     * @throws IllegalArgumentException when {@code cap} is below 1
     */
    Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap);

    /**
     * Retention: deletes up to {@code limit} finished jobs that ended before {@code finishedBefore}, oldest
     * {@code finishedAt} first, each with its whole timeline, in one transaction. A job is deleted only when the
     * engine is done with it:
     *
     * <ul>
     *   <li>its status is terminal ({@code succeeded}, {@code failed}, {@code cancelled}, {@code timed_out}) and its
     *       {@code finishedAt} is before {@code finishedBefore};</li>
     *   <li>its tenant status is applied ({@link StoredJob#tenantStatusApplied()});</li>
     *   <li>nothing is left to do ({@link StoredJob#nextCheckAt()} is null) and no launch outcome is open
     *       ({@link StoredJob#launchPendingSince()} is null: a late-run watch may still need the job);</li>
     *   <li>no node holds a lease on it at {@code now} (no lease, or one expired at {@code now}).</li>
     * </ul>
     *
     * <p>Queued and in-progress jobs are never deleted. Deleting is idempotent: engines on several nodes may purge
     * at once; each job is deleted once, and a job another purge deleted first is simply not counted. Once a job is
     * deleted its idempotency key is free again: a later request with the same key creates a new job.
     *
     * @param finishedBefore jobs that finished at or after this instant are kept
     * @param now the engine's current time (for lease expiry)
     * @param limit the most jobs to delete, at least 1
     * @return how many jobs were deleted; less than {@code limit} when no more qualify
     * @throws IllegalArgumentException when {@code limit} is below 1
     */
    int purgeFinished(Instant finishedBefore, Instant now, int limit);
}
