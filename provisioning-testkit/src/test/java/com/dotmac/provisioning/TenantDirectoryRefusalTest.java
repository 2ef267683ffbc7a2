package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 6 and 8: a tenant directory that refuses for a long time (few events, the retry back-off, what the
 * provisioner reports), and a finished job whose late tenant status must not overwrite a newer job's.
 */
class TenantDirectoryRefusalTest {

    private static ProvisioningRequest provision(String tenant) {
        return ProvisioningRequest.builder(tenant).deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice")
                .build();
    }

    /** A directory that refuses while told to: every call, or only the calls made for some jobs. */
    static final class RefusingDirectory implements TenantDirectory {
        final InMemoryTenantDirectory inner = new InMemoryTenantDirectory();
        final AtomicInteger refusalsLeft = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final Set<String> refusedJobs = ConcurrentHashMap.newKeySet();
        final List<String> applied = new ArrayList<>();
        volatile Consumer<TenantStatusChange> beforeApplying = change -> { };

        @Override
        public Optional<Tenant> find(String tenantId) {
            return inner.find(tenantId);
        }

        @Override
        public void applyStatus(String tenantId, String status, TenantStatusChange change) {
            if (refusedJobs.contains(change.jobId()) || refusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                throw new IllegalStateException("tenants table is locked");
            }
            beforeApplying.accept(change);
            synchronized (applied) {
                applied.add(change.jobId() + ":" + status);
            }
            inner.applyStatus(tenantId, status, change);
        }
    }

    private static EngineHarness harness(RefusingDirectory directory) {
        directory.inner.put("acme", "acme", "pending");
        return new EngineHarness(new InMemoryJobRepository(), directory.inner, "node-1",
                b -> b.tenantDirectory(directory));
    }

    private static List<JobEvent> events(EngineHarness h, String jobId, JobEventType type) {
        return h.provisioner.events(jobId).stream().filter(e -> e.type() == type).toList();
    }

    @Test
    void aDirectoryThatRefusesAHundredTimesLeavesAFewEventsAndOneThatCountsThem() {
        RefusingDirectory directory = new RefusingDirectory();
        directory.refusalsLeft.set(100);
        EngineHarness h = harness(directory);

        ProvisioningJob job = h.provisioner.request(provision("acme"));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 300 && directory.refusalsLeft.get() > 0; i++) {
            StoredJob s = h.stored(job.id());
            Instant due = s.nextCheckAt();
            assertThat(due).isNotNull();
            if (delays.size() < 7) {
                delays.add(Duration.between(h.clock.instant(), due));
            }
            h.clock.set(due);
            h.step();
        }
        ProvisioningJob done = h.runToEnd(job.id());

        assertThat(directory.refused).hasValue(100);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(directory.inner.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONED);
        // the retry delay follows the engine's back-off (10 s doubling up to 2 min, jitter drawn at 0.999)
        assertThat(delays).hasSize(7);
        long[] ceilings = {10, 20, 40, 80, 120, 120, 120};
        for (int i = 0; i < ceilings.length; i++) {
            assertThat(delays.get(i)).isBetween(Duration.ofSeconds(ceilings[i]).multipliedBy(99).dividedBy(100),
                    Duration.ofSeconds(ceilings[i]));
        }
        // one event per step of the back-off, then one per 12 refusals at its longest delay: not one per refusal
        List<JobEvent> failed = events(h, job.id(), JobEventType.TENANT_STATUS_FAILED);
        assertThat(failed).hasSizeBetween(2, 15)
                .allSatisfy(e -> assertThat(e.message()).contains("tenants table is locked"));
        assertThat(failed).extracting(e -> e.data().get("refusals"))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 17L, 29L, 41L, 53L, 65L, 77L, 89L);
        assertThat(failed).allSatisfy(e -> assertThat(e.data())
                .containsEntry("refusing_since", job.createdAt().toString()).containsKey("retry_at"));
        JobEvent accepted = events(h, job.id(), JobEventType.TENANT_STATUS_APPLIED).get(0);
        assertThat(accepted.data()).containsEntry("tenant_status", TenantStatus.PROVISIONING)
                .containsEntry("refusals", 100L).containsEntry("refusing_since", job.createdAt().toString());
        assertThat(accepted.message()).contains("after 100 refusals");
    }

    @Test
    void theProvisionerTellsHowManyJobsWaitOnTheDirectoryAndSinceWhen() {
        RefusingDirectory directory = new RefusingDirectory();
        directory.refusalsLeft.set(3);
        EngineHarness h = harness(directory);
        assertThat(h.provisioner.tenantDirectoryBacklog().waitingJobs()).isZero();

        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.advance(Duration.ofSeconds(10));

        TenantDirectoryBacklog backlog = h.provisioner.tenantDirectoryBacklog();
        assertThat(backlog.waitingJobs()).isEqualTo(1);
        assertThat(backlog.oldestSince()).isEqualTo(job.createdAt());

        h.runToEnd(job.id());
        assertThat(h.provisioner.tenantDirectoryBacklog()).isEqualTo(TenantDirectoryBacklog.NONE);
    }

    @Test
    void aFinishedJobsLateTenantStatusNeverOverwritesTheStatusOfANewerJob() {
        RefusingDirectory directory = new RefusingDirectory();
        EngineHarness h = harness(directory);
        h.runner.script("acme", Script.failAfter(0, "Start stack", "h1", "port in use"));
        ProvisioningJob a = h.provisioner.request(provision("acme"));
        h.step();
        directory.refusedJobs.add(a.id()); // A's "failed_provisioning" cannot be applied
        assertThat(h.runToStatus(a.id(), JobStatus.FAILED).status()).isEqualTo(JobStatus.FAILED);
        assertThat(h.stored(a.id()).tenantStatusApplied()).isFalse();
        assertThat(directory.inner.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONING);

        h.runner.script("acme", Script.succeedAfter(0));
        ProvisioningJob b = h.provisioner.retry(a.id(), "bob");
        assertThat(h.runToEnd(b.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(directory.inner.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONED);

        directory.refusedJobs.clear(); // the directory heals; A's pending re-apply must be dropped, not applied
        for (int i = 0; i < 10; i++) {
            h.advance(Duration.ofMinutes(2));
        }

        assertThat(directory.inner.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(directory.applied).doesNotContain(a.id() + ":" + TenantStatus.FAILED_PROVISIONING);
        assertThat(h.stored(a.id()).nextCheckAt()).isNull();
        assertThat(events(h, a.id(), JobEventType.TENANT_STATUS_SUPERSEDED)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("newer_job_id", b.id())
                        .containsEntry("tenant_status", TenantStatus.FAILED_PROVISIONING));
        assertThat(h.provisioner.tenantDirectoryBacklog()).isEqualTo(TenantDirectoryBacklog.NONE);
    }

    @Test
    void aNewerJobCreatedWhileTheLateStatusIsBeingAppliedGetsItsOwnStatusAppliedAgain() {
        RefusingDirectory directory = new RefusingDirectory();
        EngineHarness h = harness(directory);
        h.runner.script("acme", Script.failAfter(0, "Start stack", "h1", "port in use"));
        ProvisioningJob a = h.provisioner.request(provision("acme"));
        h.step();
        directory.refusedJobs.add(a.id());
        h.runToStatus(a.id(), JobStatus.FAILED);
        h.runner.script("acme", Script.succeedAfter(0));

        // the directory heals, and while it applies A's late status the operator retries: B's status goes first
        List<ProvisioningJob> newer = new ArrayList<>();
        directory.beforeApplying = change -> {
            if (change.jobId().equals(a.id()) && newer.isEmpty()) {
                newer.add(h.provisioner.retry(a.id(), "bob"));
            }
        };
        directory.refusedJobs.clear();
        h.advance(Duration.ofMinutes(2));
        assertThat(newer).hasSize(1);
        ProvisioningJob b = newer.get(0);
        assertThat(directory.inner.statusOf("acme")).isIn(TenantStatus.PROVISIONING, TenantStatus.PROVISIONED);
        assertThat(h.runToEnd(b.id()).status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(directory.inner.statusOf("acme")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(directory.applied).containsSubsequence(b.id() + ":" + TenantStatus.PROVISIONING,
                a.id() + ":" + TenantStatus.FAILED_PROVISIONING, b.id() + ":" + TenantStatus.PROVISIONING,
                b.id() + ":" + TenantStatus.PROVISIONED);
    }
}
