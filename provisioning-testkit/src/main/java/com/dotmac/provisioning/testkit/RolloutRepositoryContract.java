package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPage;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RolloutRepository} must have. An implementation's test extends this class and returns a
 * repository over an empty store from {@link #createRepository()}; every test here must pass.
 *
 * <p>Instants are compared at millisecond precision, the least a repository must keep.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread.
 */
public abstract class RolloutRepositoryContract {
    /** A fixed start, at millisecond precision. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");

    private RolloutRepository repository;

    /**
     * @return a repository over an empty store
     * @throws Exception when the store cannot be prepared
     */
    protected abstract RolloutRepository createRepository() throws Exception;

    @BeforeEach
    void prepare() throws Exception {
        repository = createRepository();
    }

    // ---- create, find and page ----------------------------------------------------------------------------------

    @Test
    void createStoresTheRolloutItsMembersAndEventsAtVersionOne() {
        StoredRollout created = repository.create(rollout("r-1", T0), members("r-1", 5, 2), List.of(created("r-1")));

        assertThat(created.version()).isEqualTo(1);
        StoredRollout found = repository.find("r-1").orElseThrow();
        Rollout r = found.rollout();
        assertThat(found.version()).isEqualTo(1);
        assertThat(found.nextCheckAt()).isEqualTo(T0);
        assertThat(found.leaseOwner()).isNull();
        assertThat(r.jobs()).isEqualTo(spec());
        assertThat(r.plan()).isEqualTo(plan());
        assertThat(r.selection()).isEqualTo("5 listed");
        assertThat(r.status()).isEqualTo(RolloutStatus.RUNNING);
        assertThat(r.waveSizes()).containsExactly(2, 3);
        assertThat(r.currentWave()).isZero();
        assertThat(r.createdAt()).isEqualTo(T0);
        assertThat(r.members()).containsEntry(RolloutMemberStatus.WAITING, 5L)
                .containsEntry(RolloutMemberStatus.STARTED, 0L);
        assertThat(repository.members("r-1", null, null, 0, 100)).extracting(RolloutMember::tenantId)
                .containsExactly("t-0", "t-1", "t-2", "t-3", "t-4");
        assertThat(repository.events("r-1")).extracting(RolloutEvent::type).containsExactly(RolloutEventType.CREATED);
    }

    @Test
    void aSecondRolloutWithTheSameIdIsRefused() {
        repository.create(rollout("r-1", T0), members("r-1", 1, 1), List.of());

        assertThatThrownBy(() -> repository.create(rollout("r-1", T0), members("r-1", 1, 1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondCreateWithTheSameIdempotencyKeyReturnsTheFirstRolloutAndStoresNothing() {
        StoredRollout first = repository.create(keyed("r-1", "order-77"), members("r-1", 3, 1),
                List.of(created("r-1")));

        StoredRollout second = repository.create(keyed("r-2", "order-77"), members("r-2", 5, 1),
                List.of(created("r-2")));

        assertThat(second.id()).isEqualTo("r-1");
        assertThat(second.version()).isEqualTo(first.version());
        assertThat(second.idempotencyKey()).isEqualTo("order-77");
        assertThat(second.rollout().members()).containsEntry(RolloutMemberStatus.WAITING, 3L);
        assertThat(repository.find("r-2")).isEmpty();
        assertThat(repository.members("r-2", null, null, 0, 10)).isEmpty();
        assertThat(repository.events("r-2")).isEmpty();
        assertThat(repository.page(0, 10).total()).isEqualTo(1);
    }

    @Test
    void aRolloutIsFoundByItsIdempotencyKeyWhichLaterWritesKeep() {
        repository.create(keyed("r-1", "order-77"), members("r-1", 2, 1), List.of());
        repository.create(rollout("r-2", T0), members("r-2", 2, 1), List.of());
        StoredRollout claimed = repository.claimDue("node-a", T0, T0.plusSeconds(20), 10).stream()
                .filter(s -> s.id().equals("r-1")).findFirst().orElseThrow();
        repository.commit(claimed.withRollout(claimed.rollout()).withLease(null, null), List.of());

        assertThat(repository.findByIdempotencyKey("order-77")).map(StoredRollout::id).contains("r-1");
        assertThat(repository.findByIdempotencyKey("order-77").orElseThrow().rollout().members())
                .containsEntry(RolloutMemberStatus.WAITING, 2L);
        assertThat(repository.find("r-1").orElseThrow().idempotencyKey()).isEqualTo("order-77");
        assertThat(repository.find("r-2").orElseThrow().idempotencyKey()).isNull();
        assertThat(repository.findByIdempotencyKey("order-78")).isEmpty();
    }

    @Test
    void twoCreatesWithOneKeyAtTheSameMomentStoreOneRollout() throws Exception {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<StoredRollout>> results = new ArrayList<>();
            for (String id : List.of("r-a", "r-b")) {
                results.add(pool.submit(() -> {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    return repository.create(keyed(id, "race"), members(id, 600, 100), List.of(created(id)));
                }));
            }
            String winner = results.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS).id();

            assertThat(results.get(1).get(30, java.util.concurrent.TimeUnit.SECONDS).id()).isEqualTo(winner);
            assertThat(repository.page(0, 10).total()).isEqualTo(1);
            assertThat(repository.countMembers(winner, null)).containsEntry(RolloutMemberStatus.WAITING, 600L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenThousandMembersAreStoredInOrderWithTheirWaves() {
        repository.create(rollout("r-big", T0), members("r-big", 10_000, 100), List.of());

        assertThat(repository.countMembers("r-big", null)).containsEntry(RolloutMemberStatus.WAITING, 10_000L);
        assertThat(repository.countMembers("r-big", 0)).containsEntry(RolloutMemberStatus.WAITING, 100L);
        assertThat(repository.members("r-big", RolloutMemberStatus.WAITING, 1, 0, 3))
                .extracting(RolloutMember::position).containsExactly(100, 101, 102);
        assertThat(repository.members("r-big", null, null, 9_998, 10)).extracting(RolloutMember::tenantId)
                .containsExactly("t-9998", "t-9999");
    }

    @Test
    void findOfAnUnknownRolloutIsEmpty() {
        assertThat(repository.find("nope")).isEmpty();
    }

    @Test
    void pagesListTheNewestFirst() {
        for (int i = 0; i < 5; i++) {
            repository.create(rollout("r-" + i, T0.plusSeconds(i)), members("r-" + i, 1, 1), List.of());
        }

        RolloutPage first = repository.page(0, 2);
        RolloutPage last = repository.page(2, 2);

        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(Rollout::id).containsExactly("r-4", "r-3");
        assertThat(last.items()).extracting(Rollout::id).containsExactly("r-0");
        assertThat(first.items().get(0).members()).containsEntry(RolloutMemberStatus.WAITING, 1L);
    }

    // ---- claiming and committing -------------------------------------------------------------------------------

    @Test
    void claimDueLeasesOnlyDueLiveUnleasedRollouts() {
        repository.create(rollout("due", T0), members("due", 1, 1), List.of());
        repository.create(rollout("later", T0.plusSeconds(60)), members("later", 1, 1), List.of());
        StoredRollout done = repository.create(rollout("done", T0), members("done", 1, 1), List.of());
        repository.commit(done.withRollout(with(done.rollout(), RolloutStatus.COMPLETED)).withNextCheckAt(null),
                List.of());

        List<StoredRollout> claimed = repository.claimDue("node-a", T0.plusSeconds(1), T0.plusSeconds(21), 10);

        assertThat(claimed).extracting(StoredRollout::id).containsExactly("due");
        assertThat(claimed.get(0).leaseOwner()).isEqualTo("node-a");
        assertThat(claimed.get(0).leaseUntil()).isEqualTo(T0.plusSeconds(21));
        assertThat(claimed.get(0).version()).isEqualTo(2);
        assertThat(repository.claimDue("node-b", T0.plusSeconds(2), T0.plusSeconds(22), 10))
                .as("the lease is live").isEmpty();
        assertThat(repository.claimDue("node-b", T0.plusSeconds(22), T0.plusSeconds(42), 10))
                .as("the lease expired").extracting(StoredRollout::leaseOwner).containsExactly("node-b");
    }

    @Test
    void claimDueTakesTheOldestDueFirstUpToTheLimit() {
        repository.create(rollout("b", T0.plusSeconds(2)), members("b", 1, 1), List.of());
        repository.create(rollout("a", T0.plusSeconds(1)), members("a", 1, 1), List.of());
        repository.create(rollout("c", T0.plusSeconds(3)), members("c", 1, 1), List.of());

        assertThat(repository.claimDue("n", T0.plusSeconds(10), T0.plusSeconds(30), 2)).extracting(StoredRollout::id)
                .containsExactly("a", "b");
    }

    @Test
    void aCommitChecksTheVersionAndAppendsEventsInOrder() {
        StoredRollout created = repository.create(rollout("r-1", T0), members("r-1", 2, 1), List.of(created("r-1")));
        StoredRollout paused = created.withRollout(with(created.rollout(), RolloutStatus.PAUSED));

        StoredRollout committed = repository.commit(paused, List.of(new RolloutEvent("r-1", T0.plusSeconds(1),
                RolloutEventType.STATUS_CHANGED, RolloutStatus.RUNNING, RolloutStatus.PAUSED, "paused by alice",
                Map.of("by", "alice"))));

        assertThat(committed.version()).isEqualTo(2);
        assertThat(repository.find("r-1").orElseThrow().rollout().status()).isEqualTo(RolloutStatus.PAUSED);
        assertThatThrownBy(() -> repository.commit(paused, List.of())).isInstanceOf(StaleRolloutException.class);
        assertThat(repository.events("r-1")).extracting(RolloutEvent::type)
                .containsExactly(RolloutEventType.CREATED, RolloutEventType.STATUS_CHANGED);
        RolloutEvent change = repository.events("r-1").get(1);
        assertThat(change.from()).isEqualTo(RolloutStatus.RUNNING);
        assertThat(change.to()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(change.data()).containsEntry("by", "alice");
        assertThat(change.at()).isEqualTo(T0.plusSeconds(1));
    }

    // ---- members ----------------------------------------------------------------------------------------------

    @Test
    void updatedMembersAreReadBackWithTheirJobAndOutcome() {
        repository.create(rollout("r-1", T0), members("r-1", 4, 2), List.of());
        List<RolloutMember> waiting = repository.members("r-1", RolloutMemberStatus.WAITING, 0, 0, 10);
        Instant at = T0.plusSeconds(5);

        repository.updateMembers(List.of(waiting.get(0).started("job-0", at),
                waiting.get(1).started("job-1", at).ended(RolloutMemberStatus.FAILED, "RUN_FAILED",
                        "the play failed", at)));

        List<RolloutMember> all = repository.members("r-1", null, null, 0, 10);
        assertThat(all.get(0).status()).isEqualTo(RolloutMemberStatus.STARTED);
        assertThat(all.get(0).jobId()).isEqualTo("job-0");
        assertThat(all.get(1).status()).isEqualTo(RolloutMemberStatus.FAILED);
        assertThat(all.get(1).jobId()).isEqualTo("job-1");
        assertThat(all.get(1).errorCode()).isEqualTo("RUN_FAILED");
        assertThat(all.get(1).errorMessage()).isEqualTo("the play failed");
        assertThat(all.get(1).updatedAt()).isEqualTo(at);
        assertThat(repository.countMembers("r-1", 0)).containsEntry(RolloutMemberStatus.STARTED, 1L)
                .containsEntry(RolloutMemberStatus.FAILED, 1L);
        assertThat(repository.countMembers("r-1", 1)).containsEntry(RolloutMemberStatus.WAITING, 2L);

        RolloutMember retried = all.get(1).waitingAgain(at.plusSeconds(1));
        repository.updateMembers(List.of(retried));
        RolloutMember again = repository.members("r-1", null, null, 1, 1).get(0);
        assertThat(again.status()).isEqualTo(RolloutMemberStatus.WAITING);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.jobId()).isNull();
        assertThat(again.jobKey()).isEqualTo("rollout:r-1:1");
    }

    @Test
    void membersAreFilteredByStatusAndWaveAndPagedInPositionOrder() {
        repository.create(rollout("r-1", T0), members("r-1", 6, 2), List.of());

        assertThat(repository.members("r-1", null, 1, 1, 2)).extracting(RolloutMember::position)
                .containsExactly(3);
        assertThat(repository.members("r-1", null, 2, 0, 5)).extracting(RolloutMember::position)
                .containsExactly(4, 5);
        assertThat(repository.members("r-1", null, null, 1, 3)).extracting(RolloutMember::position)
                .containsExactly(1, 2, 3);
        assertThat(repository.members("r-1", RolloutMemberStatus.STARTED, null, 0, 10)).isEmpty();
        assertThat(repository.members("other", null, null, 0, 10)).isEmpty();
    }

    // ---- fixtures ---------------------------------------------------------------------------------------------

    /** @return the member jobs' spec of every fixture rollout */
    protected static MemberJobSpec spec() {
        return new MemberJobSpec(Operation.UPGRADE, null, "2.4.0", Map.of("feature", "x"), null, "alice");
    }

    /** @return the plan of every fixture rollout */
    protected static RolloutPlan plan() {
        return RolloutPlan.builder().canary(2).maxParallel(10).failureThreshold(FailureThreshold.percent(10))
                .pauseBetweenWaves(Duration.ofMinutes(5)).build();
    }

    /**
     * @param id the rollout id
     * @param at its creation, also its first check
     * @return a running rollout, version 0
     */
    protected static StoredRollout rollout(String id, Instant at) {
        Instant ms = at.truncatedTo(ChronoUnit.MILLIS);
        return new StoredRollout(new Rollout(id, spec(), "5 listed", plan(), RolloutStatus.RUNNING, null,
                List.of(2, 3), 0, Map.of(), ms, ms, null), 0, null, null, ms);
    }

    /**
     * @param id the rollout's id
     * @param key its idempotency key
     * @return a running rollout at {@link #T0} created with that key, version 0
     */
    protected static StoredRollout keyed(String id, String key) {
        StoredRollout r = rollout(id, T0);
        return new StoredRollout(r.rollout(), 0, null, null, r.nextCheckAt(), key);
    }

    /**
     * @param rolloutId the rollout
     * @param count how many
     * @param perWave members per wave
     * @return waiting members {@code t-0..}
     */
    protected static List<RolloutMember> members(String rolloutId, int count, int perWave) {
        List<RolloutMember> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(RolloutMember.waiting(rolloutId, "t-" + i, i, i / perWave, T0));
        }
        return list;
    }

    private static RolloutEvent created(String rolloutId) {
        return new RolloutEvent(rolloutId, T0, RolloutEventType.CREATED, null, RolloutStatus.RUNNING, "created",
                Map.of());
    }

    private static Rollout with(Rollout r, RolloutStatus status) {
        return new Rollout(r.id(), r.jobs(), r.selection(), r.plan(), status, r.statusReason(), r.waveSizes(),
                r.currentWave(), r.members(), r.createdAt(), r.updatedAt(), r.finishedAt());
    }
}
