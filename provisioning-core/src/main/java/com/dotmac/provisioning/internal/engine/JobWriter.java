package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.spi.JobListener;
import com.dotmac.provisioning.spi.JobWrite;
import com.dotmac.provisioning.spi.JobWriteOutcome;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes job changes and tells the listeners (and the tracer of a job's ending). Thread-safe. */
final class JobWriter {
    private static final Logger log = LoggerFactory.getLogger(JobWriter.class);

    private final EngineContext ctx;

    JobWriter(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes a change. A job this node holds keeps its lease for a whole lease from now: the heartbeat may have
     * renewed it since the job was read, and writing back the lease as read would shorten it.
     *
     * @throws com.dotmac.provisioning.spi.StaleJobException when the job changed since it was read
     */
    StoredJob commit(JobChange change) {
        List<JobEvent> events = change.events();
        StoredJob saved = ctx.repository().commit(withWholeLease(change.result()), events);
        notifyListeners(saved, events);
        traceEnding(saved, events);
        return saved;
    }

    /**
     * Writes many changes with one call of the repository's batch write ({@code JobRepository.commitAll}), each
     * version-checked on its own, and tells the listeners (and the tracer) of each one written, as {@link #commit}
     * does. A batch call that fails as a whole counts as every change failing with its exception.
     *
     * @return one outcome per change, in order
     */
    List<JobWriteOutcome> commitAll(List<JobChange> changes) {
        List<List<JobEvent>> events = new ArrayList<>(changes.size());
        List<JobWrite> writes = new ArrayList<>(changes.size());
        for (JobChange change : changes) {
            List<JobEvent> e = change.events();
            events.add(e);
            writes.add(new JobWrite(withWholeLease(change.result()), e));
        }
        List<JobWriteOutcome> outcomes;
        try {
            outcomes = ctx.repository().commitAll(writes);
            if (outcomes.size() != writes.size()) {
                throw new IllegalStateException(ctx.repository().getClass().getName() + ".commitAll returned "
                        + outcomes.size() + " outcomes for " + writes.size() + " writes");
            }
        } catch (RuntimeException e) {
            outcomes = writes.stream().map(w -> JobWriteOutcome.failed(w.job().id(), e)).toList();
        }
        for (int i = 0; i < outcomes.size(); i++) {
            StoredJob saved = outcomes.get(i).saved();
            if (saved != null) {
                notifyListeners(saved, events.get(i));
                traceEnding(saved, events.get(i));
            }
        }
        return outcomes;
    }

    /** A job this node holds, with its lease running a whole lease from now; any other job as it is. */
    private StoredJob withWholeLease(StoredJob result) {
        String nodeId = ctx.settings().nodeId();
        if (nodeId.equals(result.leaseOwner()) && result.leaseUntil() != null) {
            return result.withLease(nodeId, ctx.clock().instant().plus(ctx.settings().leaseDuration()));
        }
        return result;
    }

    /**
     * Writes a job change only while fewer than {@code cap} other runs are in flight (one atomic step in the
     * repository, across nodes), and tells the listeners when it was written. A held job's lease is written as
     * {@link #commit} writes it.
     *
     * @return the job as written, or empty when the cap refused (nothing was written)
     * @throws com.dotmac.provisioning.spi.StaleJobException when the job changed since it was read
     */
    Optional<StoredJob> commitIfRunsInFlightBelow(JobChange change, int cap) {
        List<JobEvent> events = change.events();
        Optional<StoredJob> saved = ctx.repository().commitIfRunsInFlightBelow(withWholeLease(change.result()), events,
                cap);
        saved.ifPresent(s -> {
            notifyListeners(s, events);
            traceEnding(s, events);
        });
        return saved;
    }

    /**
     * Applies a change computed from the freshest job, deciding again when a concurrent write wins.
     *
     * @param jobId the job
     * @param decide the change to make to the job as read, or null for none
     * @return the job as written (or as read, when nothing was to change)
     * @throws JobNotFoundException when the job does not exist
     */
    StoredJob update(String jobId, Function<StoredJob, @Nullable JobChange> decide) {
        for (int attempt = 0; attempt < 20; attempt++) {
            StoredJob current = ctx.repository().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
            JobChange change = decide.apply(current);
            if (change == null) {
                return current;
            }
            try {
                return commit(change);
            } catch (StaleJobException stale) {
                log.debug("job {}: concurrent write; deciding again", jobId);
            }
        }
        throw new StaleJobException(jobId, -1);
    }

    StoredJob create(StoredJob job, List<JobEvent> events) {
        StoredJob saved = ctx.repository().create(job, events);
        if (saved.id().equals(job.id())) {
            notifyListeners(saved, events);
        }
        return saved;
    }

    /**
     * Gives up the lease and sets the next check, re-reading the job when somebody wrote it meanwhile (keeping the
     * earlier of both next-check times). Returns the next check time that stuck, or null when the job is gone or no
     * longer ours.
     */
    @Nullable Instant release(StoredJob job, @Nullable Instant nextCheckAt, String owner) {
        StoredJob current = job;
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant at = earlier(nextCheckAt, current == job ? null : current.nextCheckAt());
            if (at == null) {
                try {
                    ctx.repository().commit(current.withLease(null, null).withNextCheckAt(null), List.of());
                    return null;
                } catch (StaleJobException stale) {
                    // fall through to re-read
                }
            } else if (ctx.repository().reschedule(List.of(current), at) == 1) {
                return at;
            }
            StoredJob fresh = ctx.repository().find(job.id()).orElse(null);
            if (fresh == null || !owner.equals(fresh.leaseOwner())) {
                return null;
            }
            current = fresh;
        }
        log.warn("job {}: could not release its lease after 5 attempts; it frees itself when the lease expires",
                job.id());
        return null;
    }

    private static @Nullable Instant earlier(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }

    /** Tells the tracer of an ending: a write whose events moved the job from an active status to a terminal one. */
    private void traceEnding(StoredJob saved, List<JobEvent> events) {
        if (saved.job().status().isTerminal() && events.stream()
                .anyMatch(e -> e.to() != null && e.to().isTerminal() && e.from() != null && !e.from().isTerminal())) {
            ctx.tracer().ended(saved.job());
        }
    }

    private void notifyListeners(StoredJob saved, List<JobEvent> events) {
        for (JobEvent event : events) {
            for (JobListener listener : ctx.listeners()) {
                try {
                    listener.onEvent(saved.job(), event);
                } catch (RuntimeException e) {
                    log.warn("job listener {} failed on {} of job {}; the job is not affected",
                            listener.getClass().getName(), event.type().wireName(), saved.id(), e);
                }
            }
        }
    }
}
