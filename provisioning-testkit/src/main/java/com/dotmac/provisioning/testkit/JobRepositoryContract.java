package com.dotmac.provisioning.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.JobWrite;
import com.dotmac.provisioning.spi.JobWriteOutcome;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobRepository} must have. An implementation's test extends this class and returns a
 * repository over an empty store from {@link #createRepository()}; every test here must pass.
 *
 * <p>Instants are compared at millisecond precision, the least a repository must keep.
 *
 * <p>The claiming and concurrency tests are inherited from {@link JobRepositoryClaimContract}, the retention tests
 * from {@link JobRepositoryRetentionContract}.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread (the concurrency tests start
 * their own threads against the repository).
 */
public abstract class JobRepositoryContract extends JobRepositoryRetentionContract {
    // ---- create and find --------------------------------------------------------------------------------------------

    @Test
    void createStoresEveryFieldAndStartsAtVersionOne() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1L, "two", true));
        nested.put("null_value", null);
        nested.put("fraction", new BigDecimal("2.5"));
        ProvisioningJob full = job("tenant-full")
                .tenantSlug("full-slug")
                .operation(Operation.UPGRADE)
                .deploymentMode(DeploymentMode.CUSTOMER_HOSTED)
                .templateId(42L)
                .runId("9001")
                .startedAt(T0.plusSeconds(1))
                .lastAcknowledgedAt(T0.plusSeconds(2))
                .retryCount(3)
                .errorCode("SOME_CODE")
                .errorMessage("it's \"quoted\"; DROP TABLE x; -- ünïcødé ✓")
                .extraVars(Map.of("region", "eu-west-1", "nested", nested, "count", 7L))
                .connectionProfile(new ConnectionProfile("203.0.113.7", 2222, "deploy", "awx:17",
                        new ConnectionProfile.Bastion("bastion.example.com", 22, "jump")))
                .artifacts(Map.of("tenant_url", "https://acme.example.com"))
                .releaseVersion("2.4.1")
                .idempotencyKey("key-1")
                .retryOf("previous-job")
                .deadline(T0.plus(Duration.ofHours(2)))
                .runStartedAt(T0.plusSeconds(6))
                .traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .build();
        StoredJob toStore = new StoredJob(full, 0, "node-a", T0.plusSeconds(300), T0.plusSeconds(5), T0,
                new StopRequest(StopReason.CANCEL, "bob", "changed my mind", T0.plusSeconds(3)), T0.plusSeconds(4),
                true);

        StoredJob stored = repository.create(toStore, List.of());

        assertThat(stored.version()).isEqualTo(1);
        StoredJob found = repository.find(full.id()).orElseThrow();
        assertThat(found).isEqualTo(toStore.withVersion(1));
        assertThat(found.job().extraVars()).isEqualTo(full.extraVars());
        assertThat(found.job().connectionProfile()).isEqualTo(full.connectionProfile());
    }

    @Test
    void createStoresAJobWithOnlyRequiredFields() {
        StoredJob s = queued("tenant-min");
        create(s);
        StoredJob found = repository.find(s.id()).orElseThrow();
        assertThat(found).isEqualTo(s.withVersion(1));
        assertThat(found.job().extraVars()).isEmpty();
        assertThat(found.job().artifacts()).isEmpty();
    }

    @Test
    void findOfAnUnknownJobIsEmpty() {
        assertThat(repository.find(UUID.randomUUID().toString())).isEmpty();
        assertThat(repository.events(UUID.randomUUID().toString())).isEmpty();
    }

    /** A rollout reads its members' jobs together: more ids than one SQL {@code IN} list of a batch takes. */
    @Test
    void findAllReturnsTheJobsThatExistAsFindDoes() {
        StoredJob a = create(queued("tenant-all-a"));
        StoredJob b = create(queued("tenant-all-b"));
        StoredJob c = create(queued("tenant-all-c"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        ids.add(0, a.id());
        ids.add(600, c.id());

        assertThat(repository.findAll(ids)).containsExactlyInAnyOrder(repository.find(a.id()).orElseThrow(),
                repository.find(c.id()).orElseThrow());
        assertThat(repository.findAll(List.of(b.id()))).containsExactly(repository.find(b.id()).orElseThrow());
        assertThat(repository.findAll(List.of())).isEmpty();
    }

    @Test
    void createStoresTheFirstEvents() {
        StoredJob s = queued("tenant-ev");
        create(s);
        assertThat(repository.events(s.id())).containsExactly(created(s));
    }

    @Test
    void aSecondActiveJobOfATenantConflictsAndStoresNothing() {
        StoredJob first = create(queued("tenant-x"));
        StoredJob second = queued("tenant-x");

        assertThatThrownBy(() -> create(second))
                .isInstanceOf(ActiveJobConflictException.class)
                .satisfies(e -> assertThat(((ActiveJobConflictException) e).activeJobId()).isEqualTo(first.id()));
        assertThat(repository.find(second.id())).isEmpty();
        assertThat(repository.events(second.id())).isEmpty();
    }

    @Test
    void aTenantWhoseJobEndedMayHaveANewOne() {
        StoredJob first = create(queued("tenant-y"));
        finish(first, JobStatus.FAILED);
        StoredJob second = create(queued("tenant-y"));
        assertThat(repository.findActive("tenant-y")).map(StoredJob::id).contains(second.id());
    }

    @Test
    void activeJobsOfDifferentTenantsDoNotConflict() {
        create(queued("tenant-a"));
        create(queued("tenant-b"));
        assertThat(repository.findActive("tenant-a")).isPresent();
        assertThat(repository.findActive("tenant-b")).isPresent();
        assertThat(repository.findActive("tenant-c")).isEmpty();
    }

    @Test
    void theSameIdempotencyKeyOfATenantReturnsTheFirstJob() {
        StoredJob first = create(StoredJob.newJob(job("tenant-i").idempotencyKey("k-1").build(), T0));
        finish(first, JobStatus.SUCCEEDED);
        StoredJob again = StoredJob.newJob(job("tenant-i").idempotencyKey("k-1").build(), T0);

        StoredJob result = create(again);

        assertThat(result.id()).isEqualTo(first.id());
        assertThat(repository.find(again.id())).isEmpty();
        assertThat(repository.findByIdempotencyKey("tenant-i", "k-1")).map(StoredJob::id).contains(first.id());
        assertThat(repository.findByIdempotencyKey("tenant-i", "k-2")).isEmpty();
    }

    @Test
    void idempotencyKeysAreScopedByTenant() {
        StoredJob a = create(StoredJob.newJob(job("tenant-k1").idempotencyKey("same").build(), T0));
        StoredJob b = create(StoredJob.newJob(job("tenant-k2").idempotencyKey("same").build(), T0));
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(repository.findByIdempotencyKey("tenant-k2", "same")).map(StoredJob::id).contains(b.id());
    }

    @Test
    void valuesFullOfSqlMetacharactersAndUnicodeAreStoredVerbatim() {
        String nasty = "'; DROP TABLE tenant_provisioning_jobs; -- \\ % _ \" ` $1 ? :name 日本語 🚀 \t\n";
        StoredJob s = StoredJob.newJob(job("t'; DELETE FROM x; --")
                .requestedBy(nasty)
                .errorMessage(nasty)
                .extraVars(Map.of("sql", nasty, "k", List.of(nasty)))
                .artifacts(Map.of(nasty, nasty))
                .idempotencyKey(nasty)
                .build(), T0);
        repository.create(s, List.of(new JobEvent(s.id(), T0, JobEventType.CREATED, null, JobStatus.QUEUED, nasty,
                Map.of("x", nasty))));

        StoredJob found = repository.find(s.id()).orElseThrow();
        assertThat(found.job()).isEqualTo(s.job());
        assertThat(repository.events(s.id()).get(0).message()).isEqualTo(nasty);
        assertThat(repository.findByIdempotencyKey("t'; DELETE FROM x; --", nasty)).isPresent();
        assertThat(repository.page("t'; DELETE FROM x; --", 1, 10).total()).isEqualTo(1);
    }

    @Test
    void runOutputWithNulAndOtherControlCharactersIsStored() {
        // what AWX, Ansible or a playbook may report: NUL, bell, escape sequences, DEL, a lone surrogate
        String output = "task failed:\u0000 stderr \u0001\u0007\u001b[31mred\u001b[0m\u0008\u000b\u000c\u001f\u007f "
                + "\t\r\n end \ud83d";
        StoredJob s = create(queued("t-output"));
        StoredJob ended = s.withJob(s.job().toBuilder().status(JobStatus.FAILED).finishedAt(T0.plusSeconds(9))
                .errorCode("RUN_FAILED").errorMessage(output)
                .artifacts(Map.of("log", output, "key\u0000" + output, List.of(output, Map.of(output, output))))
                .build()).withStop(new StopRequest(StopReason.CANCEL, "bob", output, T0)).withNextCheckAt(null);
        JobEvent event = new JobEvent(s.id(), T0.plusSeconds(9), JobEventType.STATUS_CHANGED, JobStatus.QUEUED,
                JobStatus.FAILED, output, Map.of("stdout", output, output, List.of(output)));

        StoredJob saved = repository.commit(ended, List.of(event));

        StoredJob found = repository.find(s.id()).orElseThrow();
        assertThat(found).isEqualTo(saved);
        assertThat(storable(String.valueOf(found.job().errorMessage()))).isEqualTo(storable(output));
        StopRequest stop = Objects.requireNonNull(found.stop(), "the stop request");
        assertThat(storable(String.valueOf(stop.message()))).isEqualTo(storable(output));
        assertThat(storableValue(found.job().artifacts())).isEqualTo(storableValue(ended.job().artifacts()));
        JobEvent stored = repository.events(s.id()).get(1);
        assertThat(storable(stored.message())).isEqualTo(storable(output));
        assertThat(storableValue(stored.data())).isEqualTo(storableValue(event.data()));
        // the job goes on being written
        assertThat(repository.commit(found.withTenantStatusApplied(true), List.of()).version())
                .isEqualTo(found.version() + 1);
    }

    /** {@link #storable(String)} of every string in a JSON-like value, keys included; maps compare unordered. */
    private static Object storableValue(Object value) {
        if (value instanceof String text) {
            return storable(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put(storableValue(k), storableValue(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JobRepositoryContract::storableValue).toList();
        }
        return value;
    }

    /**
     * What a repository keeps of a string: every character, except that it may store NUL (U+0000) and an unpaired
     * surrogate as U+FFFD, as {@link JobRepository} allows.
     */
    private static String storable(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                b.append(c).append(value.charAt(++i));
            } else {
                b.append(c == '\u0000' || Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return b.toString();
    }

    // ---- paging ---------------------------------------------------------------------------------------------------

    @Test
    void pageListsATenantsJobsNewestFirstWithTheTotal() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StoredJob s = StoredJob.newJob(job("tenant-p").createdAt(T0.plusSeconds(i)).updatedAt(T0.plusSeconds(i))
                    .build(), T0);
            finish(create(s), JobStatus.FAILED);
            ids.add(s.id());
        }
        create(queued("other-tenant"));
        Collections.reverse(ids);

        JobPage first = repository.page("tenant-p", 1, 2);
        JobPage last = repository.page("tenant-p", 3, 2);
        JobPage beyond = repository.page("tenant-p", 4, 2);

        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(ProvisioningJob::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(last.items()).extracting(ProvisioningJob::id).containsExactly(ids.get(4));
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(5);
        assertThat(repository.page("nobody", 1, 20).total()).isZero();
    }

    @Test
    void searchFiltersJobsAcrossTenantsNewestFirstWithTheTotal() {
        StoredJob a = create(StoredJob.newJob(job("tenant-s1").createdAt(T0).updatedAt(T0).build(), T0));
        repository.commit(a.withJob(a.job().toBuilder().status(JobStatus.FAILED).finishedAt(T0.plusSeconds(60))
                .errorCode("AWX_JOB_FAILED").errorMessage("task x failed").build()).withNextCheckAt(null), List.of());
        StoredJob b = create(StoredJob.newJob(job("tenant-s2").createdAt(T0.plusSeconds(1))
                .updatedAt(T0.plusSeconds(1)).build(), T0));
        finish(b, JobStatus.SUCCEEDED);
        StoredJob c = create(StoredJob.newJob(job("tenant-s2").operation(Operation.UPGRADE)
                .createdAt(T0.plusSeconds(2)).updatedAt(T0.plusSeconds(2)).build(), T0));

        JobPage all = repository.search(JobQuery.all(), 1, 2);
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.items()).extracting(ProvisioningJob::id).containsExactly(c.id(), b.id());
        assertThat(repository.search(JobQuery.all(), 2, 2).items()).extracting(ProvisioningJob::id)
                .containsExactly(a.id());
        assertThat(repository.search(new JobQuery("tenant-s2", null, null, null, null), 1, 10).total()).isEqualTo(2);
        assertThat(repository.search(new JobQuery(null, JobStatus.FAILED, null, null, null), 1, 10).items())
                .extracting(ProvisioningJob::id).containsExactly(a.id());
        assertThat(repository.search(new JobQuery(null, null, Operation.UPGRADE, null, null), 1, 10).items())
                .extracting(ProvisioningJob::id).containsExactly(c.id());
        assertThat(repository.search(new JobQuery(null, null, null, "AWX_JOB_FAILED", null), 1, 10).items())
                .extracting(ProvisioningJob::id).containsExactly(a.id());
        assertThat(repository.search(new JobQuery(null, null, null, null, T0.plusSeconds(1)), 1, 10).total())
                .isEqualTo(2);
        assertThat(repository.search(new JobQuery("tenant-s2", JobStatus.FAILED, null, null, null), 1, 10).total())
                .isZero();
        assertThat(repository.search(new JobQuery("t'; DELETE FROM x; --", null, null, null, null), 1, 10).total())
                .isZero();
    }

    @Test
    void searchFiltersByACreationWindowAndByWhenJobsFinished() {
        StoredJob old = create(StoredJob.newJob(job("tenant-w").createdAt(T0).updatedAt(T0).build(), T0));
        // created first, failed last: "failed recently" counts it, "created recently" does not
        repository.commit(old.withJob(old.job().toBuilder().status(JobStatus.FAILED).updatedAt(T0.plusSeconds(300))
                .finishedAt(T0.plusSeconds(300)).errorCode("AWX_JOB_FAILED").build()).withNextCheckAt(null), List.of());
        StoredJob mid = create(StoredJob.newJob(job("tenant-w").createdAt(T0.plusSeconds(100))
                .updatedAt(T0.plusSeconds(100)).build(), T0));
        repository.commit(mid.withJob(mid.job().toBuilder().status(JobStatus.FAILED).updatedAt(T0.plusSeconds(110))
                .finishedAt(T0.plusSeconds(110)).errorCode("AWX_JOB_FAILED").build()).withNextCheckAt(null), List.of());
        StoredJob open = create(StoredJob.newJob(job("tenant-w").createdAt(T0.plusSeconds(200))
                .updatedAt(T0.plusSeconds(200)).build(), T0));

        assertThat(repository.search(new JobQuery("tenant-w", null, null, null, null, T0.plusSeconds(100), null), 1,
                10).items()).extracting(ProvisioningJob::id).containsExactly(old.id());
        assertThat(repository.search(new JobQuery("tenant-w", null, null, null, T0.plusSeconds(50),
                T0.plusSeconds(200), null), 1, 10).items()).extracting(ProvisioningJob::id).containsExactly(mid.id());
        assertThat(repository.search(new JobQuery("tenant-w", JobStatus.FAILED, null, null, null, null,
                T0.plusSeconds(200)), 1, 10).items()).extracting(ProvisioningJob::id).containsExactly(old.id());
        assertThat(repository.search(new JobQuery("tenant-w", null, null, null, null, null, T0), 1, 10).items())
                .extracting(ProvisioningJob::id).containsExactly(mid.id(), old.id()).doesNotContain(open.id());
    }

    // ---- commit and reschedule ------------------------------------------------------------------------------------

    @Test
    void commitWritesTheJobAndItsEventsAndBumpsTheVersion() {
        StoredJob s = create(queued("t-commit"));
        StoredJob changed = s.withJob(s.job().toBuilder().status(JobStatus.IN_PROGRESS).runId("77")
                .startedAt(T0.plusSeconds(1)).updatedAt(T0.plusSeconds(1)).build()).withLaunchPendingSince(T0);
        JobEvent moved = new JobEvent(s.id(), T0.plusSeconds(1), JobEventType.STATUS_CHANGED, JobStatus.QUEUED,
                JobStatus.IN_PROGRESS, "run 77 launched", Map.of("run_id", "77"));

        StoredJob saved = repository.commit(changed, List.of(moved));

        assertThat(saved.version()).isEqualTo(s.version() + 1);
        assertThat(repository.find(s.id()).orElseThrow()).isEqualTo(changed.withVersion(s.version() + 1));
        assertThat(repository.events(s.id())).containsExactly(created(s), moved);
    }

    @Test
    void commitRecordsWhenTheRunStartedAndTheDeadlineItMoved() {
        StoredJob s = create(queued("t-run-start"));
        StoredJob launched = repository.commit(s.withJob(s.job().toBuilder().status(JobStatus.IN_PROGRESS)
                .runId("78").startedAt(T0.plusSeconds(1)).deadline(T0.plusSeconds(1).plus(Duration.ofHours(2)))
                .updatedAt(T0.plusSeconds(1)).build()), List.of());
        assertThat(repository.find(s.id()).orElseThrow().job().runStartedAt()).isNull();
        Instant runStarted = T0.plus(Duration.ofMinutes(110));
        StoredJob started = launched.withJob(launched.job().toBuilder().runStartedAt(runStarted)
                .deadline(runStarted.plus(Duration.ofHours(2))).updatedAt(runStarted).build());

        StoredJob saved = repository.commit(started, List.of());

        StoredJob found = repository.find(s.id()).orElseThrow();
        assertThat(found).isEqualTo(started.withVersion(saved.version()));
        assertThat(found.job().runStartedAt()).isEqualTo(runStarted);
        assertThat(found.job().deadline()).isEqualTo(runStarted.plus(Duration.ofHours(2)));
    }

    @Test
    void aStaleCommitWritesNothing() {
        StoredJob s = create(queued("t-stale"));
        repository.commit(s.withTenantStatusApplied(true), List.of());
        StoredJob stale = s.withJob(s.job().toBuilder().status(JobStatus.CANCELLED).build());

        assertThatThrownBy(() -> repository.commit(stale, List.of(JobEvent.of(s.id(), T0,
                JobEventType.CANCEL_REQUESTED, "x", Map.of()))))
                .isInstanceOf(StaleJobException.class);
        assertThat(repository.find(s.id()).orElseThrow().job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(repository.events(s.id())).hasSize(1);
    }

    @Test
    void commitOfAnUnknownJobFails() {
        assertThatThrownBy(() -> repository.commit(queued("ghost"), List.of()))
                .isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void commitAllWritesEachJobWithItsEventsAndLeavesAStaleOrUnknownOneUnwritten() {
        StoredJob a = create(queued("ca-a"));
        StoredJob b = create(queued("ca-b"));
        StoredJob c = create(queued("ca-c"));
        repository.commit(b.withTenantStatusApplied(true), List.of());
        StoredJob ghost = queued("ca-ghost");
        List<JobWrite> writes = new ArrayList<>();
        for (StoredJob s : List.of(a, b, ghost, c)) {
            writes.add(new JobWrite(s.withJob(s.job().toBuilder().status(JobStatus.CANCELLED)
                    .finishedAt(T0.plusSeconds(5)).updatedAt(T0.plusSeconds(5)).build()),
                    List.of(new JobEvent(s.id(), T0.plusSeconds(5), JobEventType.STATUS_CHANGED, JobStatus.QUEUED,
                            JobStatus.CANCELLED, "cancelled", Map.of()),
                            JobEvent.of(s.id(), T0.plusSeconds(5), JobEventType.TENANT_STATUS_APPLIED, "applied",
                                    Map.of("tenant_status", "failed")))));
        }

        List<JobWriteOutcome> outcomes = repository.commitAll(writes);

        assertThat(outcomes).extracting(JobWriteOutcome::jobId).containsExactly(a.id(), b.id(), ghost.id(), c.id());
        for (int i : List.of(0, 3)) {
            JobWrite w = writes.get(i);
            StoredJob expected = w.job().withVersion(w.job().version() + 1);
            assertThat(outcomes.get(i).saved()).isEqualTo(expected);
            assertThat(outcomes.get(i).failure()).isNull();
            assertThat(repository.find(w.job().id()).orElseThrow()).isEqualTo(expected);
            assertThat(repository.events(w.job().id())).containsExactly(created(w.job()), w.newEvents().get(0),
                    w.newEvents().get(1));
        }
        assertThat(outcomes.get(1).saved()).isNull();
        assertThat(outcomes.get(1).failure()).isInstanceOf(StaleJobException.class);
        assertThat(repository.find(b.id()).orElseThrow().job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(repository.events(b.id())).hasSize(1);
        assertThat(outcomes.get(2).failure()).isInstanceOf(JobNotFoundException.class);
        assertThat(repository.find(ghost.id())).isEmpty();
    }

    @Test
    void commitAllOfNoWritesWritesNothing() {
        assertThat(repository.commitAll(List.of())).isEmpty();
    }

    @Test
    void rescheduleReleasesLeasesAndSkipsStaleJobs() {
        StoredJob a = create(queued("r-a"));
        StoredJob b = create(queued("r-b"));
        List<StoredJob> claimed = repository.claimDue("n", T0, T0.plusSeconds(60), 10);
        StoredJob claimedB = claimed.stream().filter(s -> s.id().equals(b.id())).findFirst().orElseThrow();
        repository.commit(claimedB.withTenantStatusApplied(true), List.of());
        Instant next = T0.plusSeconds(15);

        int written = repository.reschedule(claimed, next);

        assertThat(written).isEqualTo(1);
        StoredJob ra = repository.find(a.id()).orElseThrow();
        assertThat(ra.leaseOwner()).isNull();
        assertThat(ra.leaseUntil()).isNull();
        assertThat(ra.nextCheckAt()).isEqualTo(next);
        assertThat(repository.find(b.id()).orElseThrow().leaseOwner()).isEqualTo("n");
    }

    @Test
    void countRunsInFlightCountsInProgressAndLaunchPendingJobs() {
        StoredJob running = create(queued("f-1"));
        repository.commit(running.withJob(running.job().toBuilder().status(JobStatus.IN_PROGRESS).runId("1").build()),
                List.of());
        StoredJob pending = create(queued("f-2"));
        repository.commit(pending.withLaunchPendingSince(T0), List.of());
        create(queued("f-3"));
        StoredJob done = create(queued("f-4"));
        finish(done, JobStatus.SUCCEEDED);

        assertThat(repository.countRunsInFlight()).isEqualTo(2);
    }

    @Test
    void eventsKeepTheirOrder() {
        StoredJob s = create(queued("t-order"));
        Set<String> messages = new HashSet<>();
        StoredJob current = s;
        for (int i = 0; i < 20; i++) {
            String message = "event " + i;
            messages.add(message);
            current = repository.commit(current, List.of(JobEvent.of(s.id(), T0.plusMillis(i % 3),
                    JobEventType.LAUNCH_PENDING, message, Map.of("i", (long) i))));
        }
        List<JobEvent> events = repository.events(s.id());
        assertThat(events).hasSize(21);
        for (int i = 0; i < 20; i++) {
            assertThat(events.get(i + 1).message()).isEqualTo("event " + i);
            assertThat(events.get(i + 1).data()).containsEntry("i", (long) i);
        }
    }
}
