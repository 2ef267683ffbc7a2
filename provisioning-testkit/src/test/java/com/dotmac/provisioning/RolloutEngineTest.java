package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryRolloutRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.RolloutSubmission;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.testkit.ForwardingRolloutRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Rollouts through the public API on the deterministic harness (in-memory repositories, scripted runner, manual
 * scheduler and clock): waves and the cap on the rollout's jobs in flight, the failure threshold, resume, abort,
 * tenants busy with a job of their own, single requests beside a rollout, and bad input.
 */
class RolloutEngineTest {
    private final InMemoryRolloutRepository rolloutStore = new InMemoryRolloutRepository();

    @Test
    void aRolloutUpgradesEveryTenantWaveByWaveNeverMoreThanMaxParallelAtOnce() {
        EngineHarness h = provisioned(30, b -> { });
        Rollouts rollouts = h.provisioner.rollouts();

        Rollout started = h.provisioner.rollout(upgrade(tenants(30), RolloutPlan.builder().canary(2)
                .wavePercents(50, 50).maxParallel(5).build()));
        int maxStarted = runToEnd(h, started.id());

        Rollout done = rollouts.find(started.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RolloutStatus.COMPLETED);
        assertThat(done.waveSizes()).containsExactly(2, 14, 14);
        assertThat(done.members()).containsEntry(RolloutMemberStatus.SUCCEEDED, 30L);
        assertThat(maxStarted).as("member jobs in flight at once").isEqualTo(5);
        for (String tenant : tenants(30)) {
            assertThat(h.tenants.statusOf(tenant)).isEqualTo(TenantStatus.PROVISIONED);
            assertThat(upgradesOf(h, tenant)).as("upgrades of %s", tenant).isEqualTo(1);
        }
        // the canary's jobs all ended before any job of wave 1 was created, and wave 1's before wave 2's
        List<RolloutMember> members = rollouts.members(started.id(), null, 1, 100);
        assertThat(lastEnd(h, members, 0)).isBeforeOrEqualTo(firstCreation(h, members, 1));
        assertThat(lastEnd(h, members, 1)).isBeforeOrEqualTo(firstCreation(h, members, 2));
        assertThat(rollouts.events(started.id())).extracting(RolloutEvent::type).containsSubsequence(
                RolloutEventType.CREATED, RolloutEventType.WAVE_STARTED, RolloutEventType.WAVE_STARTED,
                RolloutEventType.STATUS_CHANGED);
    }

    @Test
    void failuresOverTheThresholdPauseTheRolloutBeforeAnotherLaunchAndResumeRetriesOnlyTheFailed() {
        EngineHarness h = provisioned(40, b -> { });
        for (String failing : List.of("t-03", "t-07", "t-11")) {
            h.runner.script(failing, Script.failAfter(1, "migrate", failing, "migration 42 failed"));
        }
        Rollout started = h.provisioner.rollout(upgrade(tenants(40), RolloutPlan.builder().waveSizes(20, 20)
                .maxParallel(20).failureThreshold(FailureThreshold.percent(10)).build()));

        Rollout paused = stepUntil(h, started.id(), RolloutStatus.PAUSED);
        int jobsAtPause = h.repository.size();
        for (int i = 0; i < 5; i++) {
            h.advance(EngineHarness.POLL);
        }

        assertThat(paused.statusReason()).startsWith("more than 10 % of finished jobs failed: 3 of 20 finished jobs"
                + " failed (").contains("t-03: RUN_FAILED", "t-07: RUN_FAILED", "t-11: RUN_FAILED");
        assertThat(h.repository.size()).as("jobs created after the pause").isEqualTo(jobsAtPause);
        assertThat(h.provisioner.rollouts().members(started.id(), RolloutMemberStatus.FAILED, 1, 10))
                .extracting(RolloutMember::tenantId, RolloutMember::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t-03", "RUN_FAILED"),
                        org.assertj.core.groups.Tuple.tuple("t-07", "RUN_FAILED"),
                        org.assertj.core.groups.Tuple.tuple("t-11", "RUN_FAILED"));

        // the release is fixed: the failed tenants now succeed
        h.runner.defaultScript(Script.succeedAfter(1));
        for (String fixed : List.of("t-03", "t-07", "t-11")) {
            h.runner.script(fixed, Script.succeedAfter(1));
        }
        h.provisioner.rollouts().resume(started.id(), "alice", Rollouts.FailedMembers.RETRY);
        runToEnd(h, started.id());

        Rollout done = h.provisioner.rollouts().find(started.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RolloutStatus.COMPLETED);
        assertThat(done.members()).containsEntry(RolloutMemberStatus.SUCCEEDED, 40L);
        for (String tenant : tenants(40)) {
            boolean failedOnce = List.of("t-03", "t-07", "t-11").contains(tenant);
            assertThat(upgradesOf(h, tenant)).as("upgrades of %s", tenant).isEqualTo(failedOnce ? 2 : 1);
        }
    }

    @Test
    void aTenantWithAJobOfItsOwnIsRetriedLaterNotFailed() {
        EngineHarness h = provisioned(3, b -> { });
        h.runner.script("t-01", Script.succeedAfter(3));
        ProvisioningJob own = h.provisioner.request(ProvisioningRequest.builder("t-01").operation(Operation.UPGRADE)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).releaseVersion("2.3.9").build());

        Rollout started = h.provisioner.rollout(upgrade(tenants(3), RolloutPlan.builder().build()));
        h.step();
        assertThat(h.provisioner.rollouts().members(started.id(), null, 1, 10))
                .filteredOn(m -> m.tenantId().equals("t-01")).singleElement()
                .extracting(RolloutMember::status).isEqualTo(RolloutMemberStatus.WAITING);
        runToEnd(h, started.id());

        assertThat(h.job(own.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.provisioner.rollouts().find(started.id()).orElseThrow().members())
                .containsEntry(RolloutMemberStatus.SUCCEEDED, 3L);
        assertThat(upgradesOf(h, "t-01")).isEqualTo(2);
    }

    @Test
    void aSingleRequestStartsWithinOneSweepWhileARolloutFillsTheCap() {
        EngineHarness h = provisioned(30, b -> b.maxConcurrentRuns(10));
        h.runner.defaultScript(Script.succeedAfter(20));
        Rollout started = h.provisioner.rollout(upgrade(tenants(30), RolloutPlan.builder().maxParallel(30).build()));
        h.step();
        h.step();
        assertThat(h.provisioner.rollouts().find(started.id()).orElseThrow().members())
                .as("one run of the cap of 10 is kept for single requests")
                .containsEntry(RolloutMemberStatus.STARTED, 9L);

        h.tenant("newcomer", "pending");
        ProvisioningJob single = h.provisioner.request(ProvisioningRequest.provision("newcomer",
                DeploymentMode.DOTMAC_HOSTED));
        h.step();

        assertThat(h.job(single.id()).status()).isEqualTo(JobStatus.IN_PROGRESS);
    }

    @Test
    void anAbortCancelsTheRunningJobsSkipsTheRestAndEnds() {
        EngineHarness h = provisioned(10, b -> { });
        h.runner.defaultScript(Script.succeedAfter(20));
        Rollout started = h.provisioner.rollout(upgrade(tenants(10), RolloutPlan.builder().maxParallel(3).build()));
        h.step();
        h.step();

        h.provisioner.rollouts().abort(started.id(), "alice", true);
        Rollout aborted = stepUntil(h, started.id(), RolloutStatus.ABORTED);

        assertThat(aborted.members()).containsEntry(RolloutMemberStatus.SKIPPED, 7L)
                .containsEntry(RolloutMemberStatus.FAILED, 3L);
        assertThat(h.runner.cancelRequests()).hasSize(3);
        assertThat(aborted.statusReason()).isEqualTo("aborted by alice; its jobs in flight are cancelled");
        assertThat(aborted.finishedAt()).isNotNull();
    }

    @Test
    void aLookThatOutlivesItsLeaseStartsNoMemberOnceAnotherNodeHasClaimedTheRollout() {
        OutlivedLease slowReads = new OutlivedLease(rolloutStore);
        EngineHarness h = provisioned(10, b -> b.rolloutRepository(slowReads));
        h.runner.defaultScript(Script.succeedAfter(20));
        ManualScheduler nodeTwoScheduler = new ManualScheduler();
        TenantProvisioner nodeTwo = TenantProvisioner.builder().repository(h.repository).runner(h.runner)
                .tenantDirectory(h.tenants).scheduler(nodeTwoScheduler).clock(h.clock).nodeId("node-2")
                .pollInterval(EngineHarness.POLL).rolloutRepository(rolloutStore).build();
        nodeTwo.start();
        Rollout started = h.provisioner.rollout(upgrade(tenants(10), RolloutPlan.builder().maxParallel(3).build()));

        // node-1's look stalls just before it starts members, past its lease: node-2 claims the rollout meanwhile
        slowReads.beforeNextWaitingRead(() -> {
            h.clock.advance(EngineSettings.DEFAULT_LEASE_DURATION.plusSeconds(1));
            nodeTwo.sweepNow();
            nodeTwoScheduler.runPending();
        });
        h.step();
        nodeTwo.sweepNow();
        nodeTwoScheduler.runPending();

        assertThat(slowReads.fired).as("node-1's look stalled").isTrue();
        assertThat(h.provisioner.rollouts().find(started.id()).orElseThrow().members())
                .as("members in flight (maxParallel 3)").containsEntry(RolloutMemberStatus.STARTED, 3L);
        assertThat(h.repository.size() - 10).as("upgrade jobs created").isEqualTo(3);
        nodeTwo.close();
    }

    @Test
    void unknownTenantsAreListedAndNothingIsStored() {
        EngineHarness h = provisioned(2, b -> { });

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> h.provisioner.rollout(
                upgrade(List.of("t-00", "ghost-1", "t-01", "ghost-2"), RolloutPlan.builder().build())));

        assertThat(e.fieldErrors()).containsExactly(new FieldError("tenants",
                "names tenants that do not exist: ghost-1, ghost-2"));
        assertThat(h.provisioner.rollouts().page(1, 10).total()).isZero();
        assertThat(catchThrowableOfType(InvalidRequestException.class, () -> h.provisioner.rollout(
                RolloutRequest.builder(Operation.UPGRADE).releaseVersion("2.4.0")
                        .tenants(TenantSelection.inStatus("suspended")).build())).fieldErrors())
                .extracting(FieldError::field).containsExactly("selection.status");
    }

    @Test
    void anExtraVarTheHostDoesNotAllowIsRefusedBeforeAnythingIsStored() {
        EngineHarness h = provisioned(2, b -> { });

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> h.provisioner.rollout(
                RolloutRequest.builder(Operation.UPGRADE).releaseVersion("2.4.0").extraVar("maintenance_window", "now")
                        .tenants(TenantSelection.of(tenants(2))).build()));

        assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("extra_vars.maintenance_window");
        assertThat(h.provisioner.rollouts().page(1, 10).total()).isZero();
    }

    @Test
    void aRequestMadeAgainWithItsIdempotencyKeyGetsTheFirstRolloutAndUpgradesEachTenantOnce() {
        EngineHarness h = provisioned(6, b -> { });
        RolloutRequest request = RolloutRequest.builder(Operation.UPGRADE).releaseVersion("2.4.0")
                .tenants(TenantSelection.of(tenants(6))).plan(RolloutPlan.builder().maxParallel(2).build())
                .idempotencyKey("release-2.4.0").build();

        RolloutSubmission first = h.provisioner.rollouts().submit(request);
        h.advance(EngineHarness.POLL);
        RolloutSubmission again = h.provisioner.rollouts().submit(request);
        runToEnd(h, first.rollout().id());
        Rollout afterTheEnd = h.provisioner.rollout(request);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.rollout().id()).isEqualTo(first.rollout().id());
        assertThat(afterTheEnd.id()).isEqualTo(first.rollout().id());
        assertThat(afterTheEnd.status()).isEqualTo(RolloutStatus.COMPLETED);
        assertThat(h.provisioner.rollouts().page(1, 10).total()).isEqualTo(1);
        for (String tenant : tenants(6)) {
            assertThat(upgradesOf(h, tenant)).as("upgrades of %s", tenant).isEqualTo(1);
        }
        assertThat(catchThrowableOfType(InvalidRequestException.class, () -> RolloutRequest.builder(Operation.UPGRADE)
                .releaseVersion("2.4.0").tenants(TenantSelection.of(tenants(1))).idempotencyKey(" ").build())
                .fieldErrors()).extracting(FieldError::field).containsExactly("idempotency_key");
    }

    @Test
    void aLookStopsStartingMembersHalfALeaseAfterItsClaimSoThatNoOtherNodeCanClaimTheRolloutMidLook() {
        AtomicReference<MutableClock> slow = new AtomicReference<>();
        InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
        // each tenant read of a member's request takes 1 s of the engine's clock while armed: a slow directory
        TenantDirectory slowDirectory = new TenantDirectory() {
            @Override
            public Optional<Tenant> find(String tenantId) {
                MutableClock c = slow.get();
                if (c != null) {
                    c.advance(Duration.ofSeconds(1));
                }
                return directory.find(tenantId);
            }

            @Override
            public void applyStatus(String tenantId, String status, TenantStatusChange change) {
                directory.applyStatus(tenantId, status, change);
            }

            @Override
            public Map<String, Tenant> findAll(Collection<String> tenantIds) {
                return directory.findAll(tenantIds);
            }
        };
        EngineHarness h = new EngineHarness(new InMemoryJobRepository(), directory, "node-1",
                b -> b.rolloutRepository(rolloutStore).tenantDirectory(slowDirectory)
                        .leaseDuration(Duration.ofSeconds(20)));
        for (String tenant : tenants(30)) {
            h.tenant(tenant, "pending");
            h.runToEnd(h.provisioner.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED))
                    .id());
        }
        Rollout started = h.provisioner.rollout(upgrade(tenants(30), RolloutPlan.builder().maxParallel(30).build()));

        slow.set(h.clock);
        h.provisioner.sweepNow();
        slow.set(null);

        Rollout afterOneLook = h.provisioner.rollouts().find(started.id()).orElseThrow();
        assertThat(afterOneLook.members().get(RolloutMemberStatus.STARTED)).as("members started by one look")
                .isBetween(1L, 11L);
        assertThat(rolloutStore.find(started.id()).orElseThrow().leaseOwner()).as("the look gave its lease back")
                .isNull();
        assertThat(runToEnd(h, started.id())).isLessThanOrEqualTo(30);
        assertThat(h.provisioner.rollouts().find(started.id()).orElseThrow().members())
                .containsEntry(RolloutMemberStatus.SUCCEEDED, 30L);
        for (String tenant : tenants(30)) {
            assertThat(upgradesOf(h, tenant)).as("upgrades of %s", tenant).isEqualTo(1);
        }
    }

    @Test
    void aSelectionByStatusTakesEveryTenantInIt() {
        EngineHarness h = provisioned(4, b -> { });
        h.tenant("never-provisioned", "pending");

        Rollout started = h.provisioner.rollout(RolloutRequest.builder(Operation.UPGRADE).releaseVersion("2.4.0")
                .tenants(TenantSelection.inStatus(TenantStatus.PROVISIONED)).build());

        assertThat(started.selection()).isEqualTo("status provisioned");
        assertThat(started.memberCount()).isEqualTo(4);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /**
     * The rollout store as one node sees it: when armed, its next read of a batch of waiting members first runs a
     * task (the node stalls there while the task moves the clock and lets another node work).
     */
    private static final class OutlivedLease extends ForwardingRolloutRepository {
        private @Nullable Runnable meanwhile;
        private boolean fired;

        OutlivedLease(RolloutRepository store) {
            super(store);
        }

        void beforeNextWaitingRead(Runnable task) {
            meanwhile = task;
        }

        @Override
        public List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status,
                @Nullable Integer wave, int offset, int limit) {
            Runnable task = meanwhile;
            if (task != null && status == RolloutMemberStatus.WAITING && limit > 1) {
                meanwhile = null;
                fired = true;
                task.run();
            }
            return super.members(rolloutId, status, wave, offset, limit);
        }
    }

    /** A harness with the rollout store, whose tenants t-00.. were provisioned by a job each. */
    private EngineHarness provisioned(int count, Consumer<TenantProvisioner.Builder> customise) {
        EngineHarness h = new EngineHarness(b -> {
            b.rolloutRepository(rolloutStore);
            customise.accept(b);
        });
        for (String tenant : tenants(count)) {
            h.tenant(tenant, "pending");
            ProvisioningJob job = h.provisioner.request(ProvisioningRequest.provision(tenant,
                    DeploymentMode.DOTMAC_HOSTED));
            h.runToEnd(job.id());
        }
        return h;
    }

    private static List<String> tenants(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("t-%02d", i)).toList();
    }

    private static RolloutRequest upgrade(List<String> tenants, RolloutPlan plan) {
        return RolloutRequest.builder(Operation.UPGRADE).releaseVersion("2.4.0").tenants(TenantSelection.of(tenants))
                .plan(plan).requestedBy("alice").build();
    }

    /** Steps the harness until the rollout ends; @return the most members started at once, seen after each step. */
    private static int runToEnd(EngineHarness h, String rolloutId) {
        int max = 0;
        for (int i = 0; i < 500; i++) {
            Rollout r = h.provisioner.rollouts().find(rolloutId).orElseThrow();
            max = (int) Math.max(max, r.members().get(RolloutMemberStatus.STARTED));
            if (r.status().isTerminal()) {
                return max;
            }
            h.advance(EngineHarness.POLL);
        }
        throw new AssertionError("rollout " + rolloutId + " did not end: "
                + h.provisioner.rollouts().find(rolloutId).orElseThrow());
    }

    private static Rollout stepUntil(EngineHarness h, String rolloutId, RolloutStatus status) {
        for (int i = 0; i < 500; i++) {
            Rollout r = h.provisioner.rollouts().find(rolloutId).orElseThrow();
            if (r.status() == status) {
                return r;
            }
            h.advance(EngineHarness.POLL);
        }
        throw new AssertionError("rollout " + rolloutId + " never became " + status);
    }

    private static long upgradesOf(EngineHarness h, String tenant) {
        return h.provisioner.jobs(tenant, 1, 100).items().stream().filter(j -> j.operation() == Operation.UPGRADE)
                .count();
    }

    private static java.time.Instant lastEnd(EngineHarness h, List<RolloutMember> members, int wave) {
        return members.stream().filter(m -> m.wave() == wave).map(m -> h.job(m.jobId()).finishedAt())
                .max(java.util.Comparator.naturalOrder()).orElseThrow();
    }

    private static java.time.Instant firstCreation(EngineHarness h, List<RolloutMember> members, int wave) {
        return members.stream().filter(m -> m.wave() == wave).map(m -> h.job(m.jobId()).createdAt())
                .min(java.util.Comparator.naturalOrder()).orElseThrow();
    }
}
