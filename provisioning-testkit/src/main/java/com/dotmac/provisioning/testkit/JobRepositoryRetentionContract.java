package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Retention ({@link JobRepository#purgeFinished}): only finished jobs the engine is done with are deleted, with their
 * events, oldest first and at most as many as asked. A host extends {@link JobRepositoryContract}, which inherits
 * these tests.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread.
 */
public abstract class JobRepositoryRetentionContract extends JobRepositoryClaimContract {
    /** When the purges of these tests run: a month after {@link #T0}. */
    private static final Instant NOW = T0.plus(Duration.ofDays(31));
    /** Jobs that finished before this are old enough to go. */
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

    @Test
    void purgeDeletesFinishedJobsOldEnoughWithTheirEventsAndLeavesTheOthers() {
        StoredJob succeeded = settled("t-succeeded", JobStatus.SUCCEEDED, T0.plusSeconds(60), x -> x);
        StoredJob failed = settled("t-failed", JobStatus.FAILED, T0.plusSeconds(61), x -> x);
        StoredJob cancelled = settled("t-cancelled", JobStatus.CANCELLED, T0.plusSeconds(62), x -> x);
        StoredJob timedOut = settled("t-timed-out", JobStatus.TIMED_OUT, T0.plusSeconds(63), x -> x);
        StoredJob recent = settled("t-recent", JobStatus.SUCCEEDED, NOW.minus(Duration.ofDays(1)), x -> x);
        StoredJob queued = create(queued("t-queued"));
        StoredJob inProgress = create(queued("t-running"));
        inProgress = repository.commit(inProgress.withJob(inProgress.job().toBuilder().status(JobStatus.IN_PROGRESS)
                .startedAt(T0).build()).withTenantStatusApplied(true), List.of());

        int purged = repository.purgeFinished(CUTOFF, NOW, 100);

        assertThat(purged).isEqualTo(4);
        for (StoredJob gone : List.of(succeeded, failed, cancelled, timedOut)) {
            assertThat(repository.find(gone.id())).as(gone.job().status().wireName()).isEmpty();
            assertThat(repository.events(gone.id())).as(gone.job().status().wireName()).isEmpty();
        }
        for (StoredJob kept : List.of(recent, queued, inProgress)) {
            assertThat(repository.find(kept.id())).as(kept.job().tenantId()).isPresent();
            assertThat(repository.events(kept.id())).as(kept.job().tenantId()).isNotEmpty();
        }
        assertThat(repository.purgeFinished(CUTOFF, NOW, 100)).isZero();
    }

    @Test
    void purgeKeepsFinishedJobsTheEngineStillNeeds() {
        StoredJob statusNotApplied = settled("t-status", JobStatus.FAILED, T0.plusSeconds(60),
                x -> x.withTenantStatusApplied(false).withNextCheckAt(NOW));
        StoredJob watched = settled("t-watched", JobStatus.FAILED, T0.plusSeconds(60),
                x -> x.withLaunchPendingSince(T0));
        StoredJob leased = settled("t-leased", JobStatus.SUCCEEDED, T0.plusSeconds(60),
                x -> x.withLease("node-2", NOW.plusSeconds(30)));
        StoredJob due = settled("t-due", JobStatus.SUCCEEDED, T0.plusSeconds(60), x -> x.withNextCheckAt(NOW));
        StoredJob expiredLease = settled("t-expired", JobStatus.SUCCEEDED, T0.plusSeconds(60),
                x -> x.withLease("dead-node", NOW.minusSeconds(1)));

        int purged = repository.purgeFinished(CUTOFF, NOW, 100);

        assertThat(purged).isEqualTo(1);
        assertThat(repository.find(expiredLease.id())).isEmpty();
        for (StoredJob kept : List.of(statusNotApplied, watched, leased, due)) {
            assertThat(repository.find(kept.id())).as(kept.job().tenantId()).isPresent();
            assertThat(repository.events(kept.id())).as(kept.job().tenantId()).isNotEmpty();
        }
    }

    @Test
    void purgeDeletesAtMostTheLimitOldestFirst() {
        StoredJob first = settled("t-1", JobStatus.SUCCEEDED, T0.plusSeconds(10), x -> x);
        StoredJob fourth = settled("t-4", JobStatus.SUCCEEDED, T0.plusSeconds(40), x -> x);
        StoredJob second = settled("t-2", JobStatus.FAILED, T0.plusSeconds(20), x -> x);
        StoredJob fifth = settled("t-5", JobStatus.SUCCEEDED, T0.plusSeconds(50), x -> x);
        StoredJob third = settled("t-3", JobStatus.CANCELLED, T0.plusSeconds(30), x -> x);

        assertThat(repository.purgeFinished(CUTOFF, NOW, 2)).isEqualTo(2);
        assertThat(repository.find(first.id())).isEmpty();
        assertThat(repository.find(second.id())).isEmpty();
        assertThat(List.of(third, fourth, fifth)).allSatisfy(s -> assertThat(repository.find(s.id())).isPresent());

        assertThat(repository.purgeFinished(CUTOFF, NOW, 2)).isEqualTo(2);
        assertThat(repository.find(third.id())).isEmpty();
        assertThat(repository.find(fourth.id())).isEmpty();
        assertThat(repository.find(fifth.id())).isPresent();

        assertThat(repository.purgeFinished(CUTOFF, NOW, 2)).isEqualTo(1);
        assertThat(repository.find(fifth.id())).isEmpty();
    }

    @Test
    void aPurgedJobsIdempotencyKeyMayBeUsedAgain() {
        StoredJob keyed = StoredJob.newJob(job("t-keyed").idempotencyKey("order-1").build(), T0);
        StoredJob old = settled(keyed, JobStatus.SUCCEEDED, T0.plusSeconds(60), x -> x);

        assertThat(repository.purgeFinished(CUTOFF, NOW, 10)).isEqualTo(1);
        assertThat(repository.findByIdempotencyKey("t-keyed", "order-1")).isEmpty();

        StoredJob again = StoredJob.newJob(job("t-keyed").idempotencyKey("order-1").build(), NOW);
        StoredJob stored = create(again);
        assertThat(stored.id()).isEqualTo(again.id()).isNotEqualTo(old.id());
    }

    @Test
    void purgeRefusesALimitBelowOne() {
        assertThatThrownBy(() -> repository.purgeFinished(CUTOFF, NOW, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private StoredJob settled(String tenantId, JobStatus status, Instant finishedAt, UnaryOperator<StoredJob> then) {
        return settled(queued(tenantId), status, finishedAt, then);
    }

    /**
     * @return the job created, then ended with the status at {@code finishedAt}, its tenant status applied and
     *     nothing left to do, then changed by {@code then}, as stored
     */
    private StoredJob settled(StoredJob fresh, JobStatus status, Instant finishedAt, UnaryOperator<StoredJob> then) {
        StoredJob s = create(fresh);
        StoredJob ended = s.withJob(s.job().toBuilder().status(status).updatedAt(finishedAt).finishedAt(finishedAt)
                .build()).withNextCheckAt(null).withTenantStatusApplied(true);
        return repository.commit(then.apply(ended), List.of());
    }
}
