package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link JobRepositoryContract} about claiming due jobs under leases, about concurrent writers, and about
 * the cap on runs in flight ({@code commitIfRunsInFlightBelow}). A host
 * extends {@link JobRepositoryContract}, which inherits these tests.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread (the concurrency tests start
 * their own threads against the repository).
 */
public abstract class JobRepositoryClaimContract extends JobRepositoryFixture {
    // ---- claiming ---------------------------------------------------------------------------------------------------

    @Test
    void claimDueTakesDueUnleasedJobsEarliestFirstAndLeasesThem() {
        StoredJob late = create(StoredJob.newJob(job("t1").build(), T0.plusSeconds(20)));
        StoredJob early = create(StoredJob.newJob(job("t2").build(), T0.plusSeconds(10)));
        StoredJob future = create(StoredJob.newJob(job("t3").build(), T0.plusSeconds(100)));
        StoredJob idle = create(StoredJob.newJob(job("t4").build(), T0).withNextCheckAt(null));
        Instant now = T0.plusSeconds(30);

        List<StoredJob> claimed = repository.claimDue("node-a", now, now.plusSeconds(60), 10);

        assertThat(claimed).extracting(StoredJob::id).containsExactly(early.id(), late.id());
        assertThat(claimed).allSatisfy(s -> {
            assertThat(s.leaseOwner()).isEqualTo("node-a");
            assertThat(s.leaseUntil()).isEqualTo(now.plusSeconds(60));
            assertThat(s.version()).isEqualTo(2);
        });
        assertThat(repository.find(early.id()).orElseThrow().leaseOwner()).isEqualTo("node-a");
        assertThat(repository.claimDue("node-b", now, now.plusSeconds(60), 10)).isEmpty();
        assertThat(repository.find(future.id()).orElseThrow().leaseOwner()).isNull();
        assertThat(repository.find(idle.id()).orElseThrow().leaseOwner()).isNull();
    }

    @Test
    void claimDueRespectsTheLimit() {
        for (int i = 0; i < 5; i++) {
            create(queued("limit-" + i));
        }
        assertThat(repository.claimDue("n", T0, T0.plusSeconds(60), 3)).hasSize(3);
        assertThat(repository.claimDue("n", T0, T0.plusSeconds(60), 3)).hasSize(2);
    }

    @Test
    void anExpiredLeaseCanBeClaimedByAnotherNode() {
        StoredJob s = create(queued("t-lease"));
        repository.claimDue("node-a", T0, T0.plusSeconds(60), 10);

        assertThat(repository.claimDue("node-b", T0.plusSeconds(59), T0.plusSeconds(120), 10)).isEmpty();
        List<StoredJob> taken = repository.claimDue("node-b", T0.plusSeconds(60), T0.plusSeconds(120), 10);

        assertThat(taken).extracting(StoredJob::id).containsExactly(s.id());
        assertThat(taken.get(0).leaseOwner()).isEqualTo("node-b");
    }

    @Test
    void renewLeasesExtendsTheOwnersLeasesWithoutANewVersion() {
        StoredJob mine = create(queued("t-renew-1"));
        StoredJob other = create(queued("t-renew-2"));
        StoredJob free = create(StoredJob.newJob(job("t-renew-3").build(), T0.plusSeconds(600)));
        StoredJob claimedMine = repository.claim(mine.id(), "node-a", T0, T0.plusSeconds(20)).orElseThrow();
        repository.claim(other.id(), "node-b", T0, T0.plusSeconds(20)).orElseThrow();

        Set<String> held = repository.renewLeases("node-a", List.of(mine.id(), other.id(), free.id(), "no-such-job"),
                T0.plusSeconds(45));

        assertThat(held).containsExactly(mine.id());
        StoredJob renewed = repository.find(mine.id()).orElseThrow();
        assertThat(renewed.leaseUntil()).isEqualTo(T0.plusSeconds(45));
        assertThat(renewed.leaseOwner()).isEqualTo("node-a");
        assertThat(renewed.version()).as("a renewal keeps the version").isEqualTo(claimedMine.version());
        assertThat(repository.find(other.id()).orElseThrow().leaseUntil()).isEqualTo(T0.plusSeconds(20));
        assertThat(repository.find(free.id()).orElseThrow().leaseOwner()).isNull();
        // the holder's next version-checked write still succeeds, and a renewed lease keeps others off the job
        assertThat(repository.claimDue("node-b", T0.plusSeconds(30), T0.plusSeconds(60), 10))
                .extracting(StoredJob::id).doesNotContain(mine.id());
        assertThat(repository.commit(renewed, List.of()).version()).isEqualTo(claimedMine.version() + 1);
        assertThat(repository.renewLeases("node-a", List.of(), T0.plusSeconds(50))).isEmpty();
    }

    @Test
    void renewLeasesReportsALeaseThatRanOutAndWasClaimedByAnotherNodeAsLost() {
        StoredJob s = create(queued("t-renew-lost"));
        repository.claim(s.id(), "node-a", T0, T0.plusSeconds(20)).orElseThrow();
        StoredJob taken = repository.claimDue("node-b", T0.plusSeconds(21), T0.plusSeconds(41), 10).get(0);

        assertThat(repository.renewLeases("node-a", List.of(s.id()), T0.plusSeconds(60))).isEmpty();
        assertThat(repository.find(s.id()).orElseThrow()).isEqualTo(taken);
        // a lease that ran out but that nobody claimed is still its owner's to extend
        StoredJob lapsed = create(queued("t-renew-lapsed"));
        repository.claim(lapsed.id(), "node-a", T0, T0.plusSeconds(20)).orElseThrow();
        assertThat(repository.renewLeases("node-a", List.of(lapsed.id()), T0.plusSeconds(80)))
                .containsExactly(lapsed.id());
    }

    @Test
    void renewLeasesTakesManyJobsAtOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 620; i++) {
            ids.add(create(StoredJob.newJob(job("t-many-" + i).build(), T0)).id());
        }
        assertThat(repository.claimDue("node-a", T0, T0.plusSeconds(20), 1000)).hasSize(620);

        assertThat(repository.renewLeases("node-a", ids, T0.plusSeconds(40))).hasSize(620);
        assertThat(repository.claimDue("node-b", T0.plusSeconds(30), T0.plusSeconds(60), 1000)).isEmpty();
    }

    @Test
    void claimTakesOneDueJob() {
        StoredJob s = create(queued("t-one"));
        StoredJob notDue = create(StoredJob.newJob(job("t-two").build(), T0.plusSeconds(60)));

        assertThat(repository.claim(s.id(), "n", T0, T0.plusSeconds(60))).isPresent();
        assertThat(repository.claim(s.id(), "m", T0, T0.plusSeconds(60))).isEmpty();
        assertThat(repository.claim(notDue.id(), "n", T0, T0.plusSeconds(60))).isEmpty();
        assertThat(repository.claim(UUID.randomUUID().toString(), "n", T0, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void concurrentClaimsNeverReturnTheSameJob() throws Exception {
        int jobs = 120;
        for (int i = 0; i < jobs; i++) {
            create(queued("conc-" + i));
        }
        List<List<String>> claimed = onFourThreads(4, n -> () -> {
            List<String> mine = new ArrayList<>();
            List<StoredJob> batch;
            do {
                batch = repository.claimDue("node-" + n, T0, T0.plusSeconds(60), 7);
                batch.forEach(s -> mine.add(s.id()));
            } while (!batch.isEmpty());
            return mine;
        });
        List<String> all = new ArrayList<>();
        claimed.forEach(all::addAll);
        // A claim may come back empty while due jobs are left: SKIP LOCKED also skips rows another claim's transaction
        // only scanned and locked (InnoDB keeps those locks), and a version-checked claim (H2) loses the rows another
        // thread took. Such a thread stopped early; what is left is claimed here, without contention, so that every
        // job is accounted for, each once.
        List<StoredJob> rest;
        do {
            rest = repository.claimDue("node-drain", T0, T0.plusSeconds(60), 7);
            rest.forEach(s -> all.add(s.id()));
        } while (!rest.isEmpty());
        assertThat(all).hasSize(jobs).doesNotHaveDuplicates();
    }

    @Test
    void concurrentCreatesForOneTenantLeaveExactlyOneActiveJob() throws Exception {
        AtomicInteger conflicts = new AtomicInteger();
        onFourThreads(8, i -> () -> {
            try {
                create(queued("race-tenant"));
            } catch (ActiveJobConflictException e) {
                conflicts.incrementAndGet();
            }
            return "";
        });
        assertThat(conflicts.get()).isEqualTo(7);
        assertThat(repository.page("race-tenant", 1, 20).total()).isEqualTo(1);
    }

    @Test
    void concurrentCreatesWithOneIdempotencyKeyAllGetTheOneJob() throws Exception {
        List<String> ids = onFourThreads(8,
                i -> () -> create(StoredJob.newJob(job("key-race").idempotencyKey("same-key").build(), T0)).id());
        assertThat(ids).hasSize(8).containsOnly(ids.get(0));
        assertThat(repository.page("key-race", 1, 20).total()).isEqualTo(1);
    }

    // ---- the cap on runs in flight ----------------------------------------------------------------------------------

    @Test
    void commitIfRunsInFlightBelowWritesOnlyWhileFewerOtherRunsAreInFlight() {
        StoredJob first = create(queued("cap-1"));
        StoredJob second = create(queued("cap-2"));
        StoredJob third = create(queued("cap-3"));

        StoredJob pending = repository.commitIfRunsInFlightBelow(launchPending(first), List.of(), 2).orElseThrow();
        assertThat(pending.version()).isEqualTo(first.version() + 1);
        assertThat(repository.commitIfRunsInFlightBelow(launchPending(second), List.of(), 2)).isPresent();
        assertThat(repository.commitIfRunsInFlightBelow(launchPending(third), List.of(pendingEvent(third)), 2))
                .isEmpty();
        assertThat(repository.find(third.id()).orElseThrow()).isEqualTo(third);
        assertThat(repository.events(third.id())).hasSize(1);
        assertThat(repository.countRunsInFlight()).isEqualTo(2);

        // a job already in flight does not count against itself
        assertThat(repository.commitIfRunsInFlightBelow(pending, List.of(pendingEvent(pending)), 2)).isPresent();
        assertThatThrownBy(() -> repository.commitIfRunsInFlightBelow(pending, List.of(), 2))
                .isInstanceOf(StaleJobException.class);
        finish(repository.find(first.id()).orElseThrow(), JobStatus.SUCCEEDED);
        assertThat(repository.commitIfRunsInFlightBelow(launchPending(third), List.of(pendingEvent(third)), 2))
                .isPresent();
        assertThat(repository.events(third.id())).hasSize(2);
        assertThatThrownBy(() -> repository.commitIfRunsInFlightBelow(third, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentLaunchesNeverTakeMorePlacesThanTheCap() throws Exception {
        int threads = 8;
        int cap = 3;
        List<StoredJob> jobs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            jobs.add(create(queued("cap-race-" + i)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (StoredJob s : jobs) {
                results.add(pool.submit(() -> {
                    start.await();
                    return repository.commitIfRunsInFlightBelow(launchPending(s), List.of(pendingEvent(s)), cap)
                            .isPresent();
                }));
            }
            start.countDown();
            int written = 0;
            for (Future<Boolean> f : results) {
                written += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(written).isEqualTo(cap);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(repository.countRunsInFlight()).isEqualTo(cap);
    }

    private static StoredJob launchPending(StoredJob s) {
        return s.withLaunchPendingSince(T0.plusSeconds(1));
    }

    private static JobEvent pendingEvent(StoredJob s) {
        return JobEvent.of(s.id(), T0.plusSeconds(1), JobEventType.LAUNCH_PENDING, "launch attempt 1 of 3",
                Map.of("attempt", 1L));
    }

    /** Runs the tasks on four threads at once and returns their results in task order. */
    private static <T> List<T> onFourThreads(int tasks, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<T>> calls = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                calls.add(task.apply(i));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
