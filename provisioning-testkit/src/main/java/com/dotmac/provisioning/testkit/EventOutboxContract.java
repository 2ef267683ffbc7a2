package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.OutboxRecord;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.StaleRolloutException;
import com.dotmac.provisioning.spi.StoredRollout;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventOutbox} must have: a repository's test extends this class and returns, from
 * {@link #createRepository()}, a {@link com.dotmac.provisioning.spi.JobRepository} over an empty store that is also
 * an {@link EventOutbox}; every test here must pass. A written status change has its record, a refused write (stale
 * version) none, a record is handed to one claimer at a time (until its lease runs out), and a tenant's records come
 * out in the order they were written. When {@link #rolloutRepository()} gives a rollout repository over the same
 * store, its status changes must reach the outbox too.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread (the concurrency test starts
 * its own threads).
 */
public abstract class EventOutboxContract extends JobRepositoryFixture {
    private static final Instant LEASE = T0.plusSeconds(20);

    /**
     * @return a rollout repository over the same store as {@link #repository}, whose status changes go to the same
     *     outbox; null (the default) skips the rollout test
     * @throws Exception when it cannot be set up
     */
    protected @Nullable RolloutRepository rolloutRepository() throws Exception {
        return null;
    }

    /** @return the repository under test as an outbox */
    protected EventOutbox outbox() {
        return (EventOutbox) repository;
    }

    private static JobEvent statusChanged(StoredJob s, JobStatus from, JobStatus to) {
        return new JobEvent(s.id(), T0.plusSeconds(1), JobEventType.STATUS_CHANGED, from, to, from + " -> " + to,
                Map.of("run_id", "42"));
    }

    private StoredJob moveTo(StoredJob s, JobStatus to) {
        return repository.commit(s.withJob(s.job().toBuilder().status(to).build()),
                List.of(statusChanged(s, s.job().status(), to)));
    }

    /** Claims the heads and delivers them; returns their types. */
    private List<String> drain() {
        List<String> types = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            List<OutboxRecord> claimed = outbox().claimEvents("node-a", T0, LEASE, 100);
            if (claimed.isEmpty()) {
                return types;
            }
            for (OutboxRecord r : claimed) {
                types.add(r.event().tenantId() + ":" + r.event().type());
                assertThat(outbox().eventDelivered(r)).isTrue();
            }
        }
        throw new AssertionError("the outbox never emptied");
    }

    @Test
    void aCreatedJobAndEachCommittedStatusChangeHaveTheirRecord() {
        StoredJob s = create(queued("tenant-a"));
        s = moveTo(s, JobStatus.IN_PROGRESS);

        List<OutboxRecord> first = outbox().claimEvents("node-a", T0, LEASE, 100);
        assertThat(first).hasSize(1);
        ProvisioningEvent e = first.get(0).event();
        assertThat(e.type()).isEqualTo("job.queued");
        assertThat(e.tenantId()).isEqualTo("tenant-a");
        assertThat(e.jobId()).isEqualTo(s.id());
        assertThat(e.at()).isEqualTo(T0);
        assertThat(e.data()).containsEntry("to", "queued").containsEntry("operation", "provision");
        assertThat(first.get(0).attempts()).isZero();
        assertThat(first.get(0).deliveredTo()).isEmpty();
        assertThat(outbox().eventDelivered(first.get(0))).isTrue();

        List<OutboxRecord> second = outbox().claimEvents("node-a", T0, LEASE, 100);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).event().type()).isEqualTo("job.in_progress");
        assertThat(second.get(0).event().data()).containsEntry("from", "queued").containsEntry("to", "in_progress")
                .containsEntry("details", Map.of("run_id", "42"));
        assertThat(second.get(0).event().id()).isNotEqualTo(e.id());
        assertThat(outbox().eventDelivered(second.get(0))).isTrue();
        assertThat(outbox().countUndeliveredEvents()).isZero();
    }

    @Test
    void aTracedJobsRecordsCarryItsTraceparent() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        StoredJob q = queued("tenant-a");
        StoredJob s = create(q.withJob(q.job().toBuilder().traceparent(traceparent).build()));
        moveTo(s, JobStatus.IN_PROGRESS);

        for (int i = 0; i < 2; i++) {
            List<OutboxRecord> claimed = outbox().claimEvents("node-a", T0, LEASE, 100);
            assertThat(claimed).singleElement().satisfies(r -> assertThat(r.event().data())
                    .containsEntry(ProvisioningEvent.TRACEPARENT, traceparent));
            assertThat(outbox().eventDelivered(claimed.get(0))).isTrue();
        }
    }

    @Test
    void aStaleCommitAndAWriteWithoutAStatusChangeHaveNoRecord() {
        StoredJob s = create(queued("tenant-a"));
        moveTo(s, JobStatus.IN_PROGRESS);

        assertThatThrownBy(() -> moveTo(s, JobStatus.CANCELLED)).isInstanceOf(StaleJobException.class);
        StoredJob current = repository.find(s.id()).orElseThrow();
        repository.commit(current, List.of(JobEvent.of(s.id(), T0, JobEventType.CALLBACK_RECEIVED, "callback",
                Map.of())));

        assertThat(outbox().countUndeliveredEvents()).isEqualTo(2);
        assertThat(drain()).containsExactly("tenant-a:job.queued", "tenant-a:job.in_progress");
    }

    @Test
    void aTenantsRecordsComeOutInOrderOneAtATimeWhileOtherTenantsGoOn() {
        StoredJob a = create(queued("tenant-a"));
        StoredJob b = create(queued("tenant-b"));
        a = moveTo(a, JobStatus.IN_PROGRESS);
        a = moveTo(a, JobStatus.SUCCEEDED);
        moveTo(b, JobStatus.CANCELLED);
        StoredJob a2 = create(queued("tenant-a"));

        List<OutboxRecord> heads = outbox().claimEvents("node-a", T0, LEASE, 100);
        assertThat(heads).extracting(r -> r.event().tenantId() + ":" + r.event().type())
                .as("one record per tenant: the oldest").containsExactly("tenant-a:job.queued", "tenant-b:job.queued");
        assertThat(outbox().claimEvents("node-b", T0, LEASE, 100)).as("a tenant's next waits for its head").isEmpty();
        heads.forEach(r -> assertThat(outbox().eventDelivered(r)).isTrue());

        assertThat(drain()).containsExactly("tenant-a:job.in_progress", "tenant-b:job.cancelled",
                "tenant-a:job.succeeded", "tenant-a:job.queued");
        assertThat(a2.id()).isNotEqualTo(a.id());
    }

    @Test
    void aClaimedRecordIsNobodyElsesUntilItsLeaseRunsOutThenItIsTakenOver() {
        create(queued("tenant-a"));
        OutboxRecord mine = outbox().claimEvents("node-a", T0, LEASE, 100).get(0);

        assertThat(outbox().claimEvents("node-b", LEASE.minusMillis(1), LEASE.plusSeconds(20), 100)).isEmpty();
        List<OutboxRecord> taken = outbox().claimEvents("node-b", LEASE, LEASE.plusSeconds(20), 100);
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0).event().id()).as("the same event, same id").isEqualTo(mine.event().id());

        assertThat(outbox().eventDelivered(mine)).as("the first claim's write is refused").isFalse();
        assertThat(outbox().eventDeliveryFailed(mine, Set.of("x"), T0)).isFalse();
        assertThat(outbox().eventDelivered(taken.get(0))).isTrue();
        assertThat(outbox().countUndeliveredEvents()).isZero();
    }

    @Test
    void aFailedDeliveryKeepsWhoHasItAndComesBackAtItsRetryTime() {
        create(queued("tenant-a"));
        OutboxRecord r = outbox().claimEvents("node-a", T0, LEASE, 100).get(0);
        Instant retryAt = T0.plusSeconds(10);

        assertThat(outbox().eventDeliveryFailed(r, Set.of("billing"), retryAt)).isTrue();

        assertThat(outbox().claimEvents("node-a", retryAt.minusMillis(1), LEASE, 100)).isEmpty();
        List<OutboxRecord> again = outbox().claimEvents("node-b", retryAt, LEASE.plusSeconds(10), 100);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).event()).isEqualTo(r.event());
        assertThat(again.get(0).attempts()).isEqualTo(1);
        assertThat(again.get(0).deliveredTo()).containsExactly("billing");
    }

    @Test
    void concurrentClaimsNeverHandOneRecordToTwoClaimers() throws Exception {
        int tenants = 40;
        for (int i = 0; i < tenants; i++) {
            create(queued("tenant-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<OutboxRecord>>> claims = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                String owner = "node-" + n;
                Callable<List<OutboxRecord>> claim = () -> outbox().claimEvents(owner, T0, LEASE, 15);
                claims.add(pool.submit(claim));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<OutboxRecord>> f : claims) {
                f.get().forEach(r -> ids.add(r.event().id()));
            }
            assertThat(new HashSet<>(ids)).as("no record twice").hasSameSizeAs(ids);
            List<OutboxRecord> rest = outbox().claimEvents("node-x", T0, LEASE, 100);
            assertThat(ids.size() + rest.size()).as("every record claimed once").isEqualTo(tenants);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRolloutsStatusChangesHaveTheirRecordsInOrderAndAStaleCommitNone() throws Exception {
        RolloutRepository rollouts = rolloutRepository();
        assumeTrue(rollouts != null, "no rollout repository over the same store");
        MemberJobSpec spec = new MemberJobSpec(Operation.UPGRADE, null, "2.4.0", Map.of(), null, "alice");
        Rollout running = new Rollout("r-1", spec, "listed", RolloutPlan.builder().build(), RolloutStatus.RUNNING,
                null, List.of(1), 0, Map.of(), T0, T0, null);
        StoredRollout created = rollouts.create(new StoredRollout(running, 0, null, null, T0),
                List.of(RolloutMember.waiting("r-1", "t-0", 0, 0, T0)), List.of(new RolloutEvent("r-1", T0,
                        RolloutEventType.CREATED, null, RolloutStatus.RUNNING, "created", Map.of())));
        Rollout paused = new Rollout("r-1", spec, "listed", RolloutPlan.builder().build(), RolloutStatus.PAUSED,
                null, List.of(1), 0, Map.of(), T0, T0, null);
        StoredRollout toPause = created.withRollout(paused);
        RolloutEvent pause = new RolloutEvent("r-1", T0.plusSeconds(1), RolloutEventType.STATUS_CHANGED,
                RolloutStatus.RUNNING, RolloutStatus.PAUSED, "paused by alice", Map.of("by", "alice"));
        rollouts.commit(toPause, List.of(pause));
        assertThatThrownBy(() -> rollouts.commit(toPause, List.of(pause))).isInstanceOf(StaleRolloutException.class);
        create(queued("tenant-a"));

        List<OutboxRecord> heads = outbox().claimEvents("node-a", T0, LEASE, 100);
        assertThat(heads).extracting(r -> r.event().type()).containsExactly("rollout.running", "job.queued");
        ProvisioningEvent first = heads.get(0).event();
        assertThat(first.rolloutId()).isEqualTo("r-1");
        assertThat(first.tenantId()).isNull();
        assertThat(first.jobId()).isNull();
        heads.forEach(r -> assertThat(outbox().eventDelivered(r)).isTrue());
        List<OutboxRecord> next = outbox().claimEvents("node-a", T0, LEASE, 100);
        assertThat(next).extracting(r -> r.event().type()).containsExactly("rollout.paused");
        assertThat(next.get(0).event().data()).containsEntry("from", "running").containsEntry("to", "paused");
        assertThat(outbox().eventDelivered(next.get(0))).isTrue();
        assertThat(outbox().countUndeliveredEvents()).isZero();
    }
}
