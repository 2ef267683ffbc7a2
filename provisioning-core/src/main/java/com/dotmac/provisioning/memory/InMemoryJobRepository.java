package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.OutboxRecord;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link JobRepository} in the JVM's heap. Not durable: jobs are lost when the JVM stops, so use it for tests,
 * demos, or one node that accepts that. Thread-safe (one lock); one instance can be shared by several engines in
 * the same JVM, which then behave like nodes sharing a database.
 *
 * <p>Outbox ({@link EventOutbox}), opt-in: made by {@link #recordingEvents()}, the records a write produces are stored
 * under the same lock as the write, so a written change has its records and a refused one (a failed version check)
 * none; they live as long as the JVM or until delivered. Made with {@code new}, it records none.
 */
public final class InMemoryJobRepository implements JobRepository, EventOutbox {
    private static final Comparator<StoredJob> NEWEST_FIRST = Comparator
            .comparing((StoredJob s) -> s.job().createdAt()).reversed()
            .thenComparing(StoredJob::id, Comparator.reverseOrder());

    private final Object lock = new Object();
    private final Map<String, StoredJob> jobs = new LinkedHashMap<>();
    private final Map<String, List<JobEvent>> events = new HashMap<>();
    private final Map<String, String> idempotencyKeys = new HashMap<>();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final boolean recording;

    /** A repository that records no outbox events (for hosts and tests without event consumers). */
    public InMemoryJobRepository() {
        this(false);
    }

    private InMemoryJobRepository(boolean recording) {
        this.recording = recording;
    }

    /** @return a repository whose status changes are recorded in its outbox, for event consumers */
    public static InMemoryJobRepository recordingEvents() {
        return new InMemoryJobRepository(true);
    }

    @Override
    public boolean recordsEvents() {
        return recording;
    }


    @Override
    public StoredJob create(StoredJob job, List<JobEvent> newEvents) {
        ProvisioningJob j = job.job();
        synchronized (lock) {
            if (j.idempotencyKey() != null) {
                String existing = idempotencyKeys.get(idempotencyIndex(j.tenantId(), j.idempotencyKey()));
                if (existing != null) {
                    return Objects.requireNonNull(jobs.get(existing), "an idempotency key names a stored job");
                }
            }
            if (jobs.containsKey(j.id())) {
                throw new IllegalStateException("job " + j.id() + " already exists");
            }
            Optional<StoredJob> active = findActiveLocked(j.tenantId());
            if (active.isPresent() && j.status().isActive()) {
                throw new ActiveJobConflictException(j.tenantId(), active.get().id());
            }
            StoredJob stored = job.withVersion(1);
            jobs.put(j.id(), stored);
            events.put(j.id(), new ArrayList<>(newEvents));
            if (recording) {
                outbox.add(ProvisioningEvent.ofJobWrite(stored.job(), newEvents));
            }
            if (j.idempotencyKey() != null) {
                idempotencyKeys.put(idempotencyIndex(j.tenantId(), j.idempotencyKey()), j.id());
            }
            return stored;
        }
    }

    @Override
    public Optional<StoredJob> find(String jobId) {
        synchronized (lock) {
            return Optional.ofNullable(jobs.get(jobId));
        }
    }

    @Override
    public Optional<StoredJob> findActive(String tenantId) {
        synchronized (lock) {
            return findActiveLocked(tenantId);
        }
    }

    private Optional<StoredJob> findActiveLocked(String tenantId) {
        return jobs.values().stream()
                .filter(s -> s.job().tenantId().equals(tenantId) && s.job().isActive())
                .findFirst();
    }

    @Override
    public Optional<StoredJob> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        synchronized (lock) {
            return Optional.ofNullable(idempotencyKeys.get(idempotencyIndex(tenantId, idempotencyKey)))
                    .map(jobs::get);
        }
    }

    @Override
    public JobPage page(String tenantId, int page, int pageSize) {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1");
        }
        synchronized (lock) {
            List<StoredJob> all = jobs.values().stream()
                    .filter(s -> s.job().tenantId().equals(tenantId))
                    .sorted(NEWEST_FIRST)
                    .toList();
            long skip = (long) (page - 1) * pageSize;
            List<ProvisioningJob> items = all.stream().skip(skip).limit(pageSize).map(StoredJob::job).toList();
            return new JobPage(items, all.size(), page, pageSize);
        }
    }

    @Override
    public JobPage search(JobQuery query, int page, int pageSize) {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1");
        }
        synchronized (lock) {
            List<StoredJob> all = jobs.values().stream()
                    .filter(s -> query.matches(s.job()))
                    .sorted(NEWEST_FIRST)
                    .toList();
            long skip = (long) (page - 1) * pageSize;
            List<ProvisioningJob> items = all.stream().skip(skip).limit(pageSize).map(StoredJob::job).toList();
            return new JobPage(items, all.size(), page, pageSize);
        }
    }

    @Override
    public List<StoredJob> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        synchronized (lock) {
            List<StoredJob> due = jobs.values().stream()
                    .filter(s -> isDue(s, now))
                    .sorted(Comparator.comparing((StoredJob s) -> s.nextCheckAt()))
                    .limit(limit)
                    .toList();
            List<StoredJob> claimed = new ArrayList<>(due.size());
            for (StoredJob s : due) {
                claimed.add(write(s.withLease(owner, leaseUntil)));
            }
            return claimed;
        }
    }

    @Override
    public Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil) {
        synchronized (lock) {
            StoredJob s = jobs.get(jobId);
            if (s == null || !isDue(s, now)) {
                return Optional.empty();
            }
            return Optional.of(write(s.withLease(owner, leaseUntil)));
        }
    }

    private static boolean isDue(StoredJob s, Instant now) {
        return s.nextCheckAt() != null && !s.nextCheckAt().isAfter(now)
                && (s.leaseUntil() == null || !s.leaseUntil().isAfter(now));
    }

    @Override
    public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
        synchronized (lock) {
            StoredJob current = jobs.get(job.id());
            if (current == null) {
                throw new JobNotFoundException(job.id());
            }
            if (current.version() != job.version()) {
                throw new StaleJobException(job.id(), job.version());
            }
            StoredJob stored = write(job);
            Objects.requireNonNull(events.get(job.id()), "a stored job has an event list").addAll(newEvents);
            if (recording) {
                outbox.add(ProvisioningEvent.ofJobWrite(stored.job(), newEvents));
            }
            return stored;
        }
    }

    @Override
    public int reschedule(Collection<StoredJob> toReschedule, Instant nextCheckAt) {
        int written = 0;
        synchronized (lock) {
            for (StoredJob s : toReschedule) {
                StoredJob current = jobs.get(s.id());
                if (current != null && current.version() == s.version()) {
                    write(current.withLease(null, null).withNextCheckAt(nextCheckAt));
                    written++;
                }
            }
        }
        return written;
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
        Set<String> held = new HashSet<>();
        synchronized (lock) {
            for (String id : jobIds) {
                StoredJob current = jobs.get(id);
                if (current != null && owner.equals(current.leaseOwner())) {
                    jobs.put(id, current.withLease(owner, leaseUntil)); // keeps the version
                    held.add(id);
                }
            }
        }
        return held;
    }

    @Override
    public List<JobEvent> events(String jobId) {
        synchronized (lock) {
            List<JobEvent> list = events.get(jobId);
            return list == null ? List.of() : List.copyOf(list);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also frees the deleted jobs' idempotency keys.
     */
    @Override
    public int purgeFinished(Instant finishedBefore, Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        synchronized (lock) {
            List<StoredJob> doomed = jobs.values().stream()
                    .filter(s -> isPurgeable(s, finishedBefore, now))
                    .sorted(Comparator.comparing((StoredJob s) -> Objects.requireNonNull(s.job().finishedAt()))
                            .thenComparing(StoredJob::id))
                    .limit(limit)
                    .toList();
            for (StoredJob s : doomed) {
                jobs.remove(s.id());
                events.remove(s.id());
                String key = s.job().idempotencyKey();
                if (key != null) {
                    idempotencyKeys.remove(idempotencyIndex(s.job().tenantId(), key), s.id());
                }
            }
            return doomed.size();
        }
    }

    private static boolean isPurgeable(StoredJob s, Instant finishedBefore, Instant now) {
        Instant finishedAt = s.job().finishedAt();
        return s.job().status().isTerminal() && finishedAt != null && finishedAt.isBefore(finishedBefore)
                && s.tenantStatusApplied() && s.nextCheckAt() == null && s.launchPendingSince() == null
                && (s.leaseUntil() == null || !s.leaseUntil().isAfter(now));
    }

    @Override
    public long countDue(Instant now) {
        synchronized (lock) {
            return jobs.values().stream().filter(s -> isDue(s, now)).count();
        }
    }

    @Override
    public long countRunsInFlight() {
        synchronized (lock) {
            return jobs.values().stream().filter(InMemoryJobRepository::isRunInFlight).count();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counts and writes under the repository's one lock.
     */
    @Override
    public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job, List<JobEvent> newEvents, int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, was " + cap);
        }
        synchronized (lock) {
            long others = jobs.values().stream()
                    .filter(s -> !s.id().equals(job.id()) && isRunInFlight(s))
                    .count();
            if (others >= cap) {
                return Optional.empty();
            }
            return Optional.of(commit(job, newEvents));
        }
    }

    private static boolean isRunInFlight(StoredJob s) {
        return s.job().status() == JobStatus.IN_PROGRESS
                || (s.job().status() == JobStatus.QUEUED && s.launchPendingSince() != null);
    }

    /**
     * Stores outbox events written elsewhere (an {@link InMemoryRolloutRepository} made with this repository), under
     * this repository's lock, when it records events.
     *
     * @param toStore the events, in order
     */
    void addToOutbox(List<ProvisioningEvent> toStore) {
        synchronized (lock) {
            if (recording) {
                outbox.add(toStore);
            }
        }
    }

    @Override
    public List<OutboxRecord> claimEvents(String owner, Instant now, Instant leaseUntil, int limit) {
        synchronized (lock) {
            return outbox.claim(owner, now, leaseUntil, limit);
        }
    }

    @Override
    public boolean eventDelivered(OutboxRecord claimed) {
        synchronized (lock) {
            return outbox.delivered(claimed);
        }
    }

    @Override
    public boolean eventDeliveryFailed(OutboxRecord claimed, Set<String> deliveredTo, Instant retryAt) {
        synchronized (lock) {
            return outbox.failed(claimed, deliveredTo, retryAt);
        }
    }

    @Override
    public long countUndeliveredEvents() {
        synchronized (lock) {
            return outbox.size();
        }
    }

    /** @return how many jobs are stored (for tests and diagnostics) */
    public int size() {
        synchronized (lock) {
            return jobs.size();
        }
    }

    private StoredJob write(StoredJob s) {
        StoredJob stored = s.withVersion(s.version() + 1);
        jobs.put(s.id(), stored);
        return stored;
    }

    private static String idempotencyIndex(String tenantId, String key) {
        return tenantId + '\u0000' + key;
    }
}
