package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.JobWrite;
import com.dotmac.provisioning.spi.JobWriteOutcome;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ends of one batch poll are written together: the runs of N jobs that a sweep finds ended take one batch write
 * of the jobs (each version-checked, with its own events) and one batch of tenant statuses, not N of each; every
 * job keeps its events, listener calls and tenant status as when they were written one by one.
 */
class PollBatchEndsTest {
    private static final int JOBS = 5;
    private static final Set<String> READS = Set.of("find", "findActive", "findAll", "events", "currentTime",
            "countRunsInFlight", "countDue", "toString", "hashCode", "equals");

    private final Map<String, Integer> repositoryCalls = new TreeMap<>();
    private final Map<String, Integer> directoryCalls = new TreeMap<>();
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final EngineHarness h = new EngineHarness(stored, tenants, "node-1",
            b -> b.repository(counting(JobRepository.class, stored, repositoryCalls))
                    .tenantDirectory(counting(TenantDirectory.class, tenants, directoryCalls)));

    @Test
    void theEndsOfABatchPollAreOneBatchWriteOfTheJobsAndOneOfTheTenantStatuses() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            h.tenant("t" + i, "pending");
            h.runner.script("t" + i, Script.succeedAfter(0));
            ids.add(h.provisioner.request(ProvisioningRequest.provision("t" + i, DeploymentMode.DOTMAC_HOSTED))
                    .id());
        }
        h.step();
        assertThat(ids).allSatisfy(id -> assertThat(h.job(id).status()).isEqualTo(JobStatus.IN_PROGRESS));
        synchronized (h.heard) {
            h.heard.clear();
        }
        repositoryCalls.clear();
        directoryCalls.clear();

        // one sweep claims the five jobs, polls their runs in one batch and finds every run succeeded
        h.advance(EngineHarness.POLL);

        assertThat(writes(repositoryCalls)).as("repository writes of the sweep").isEqualTo(Map.of("claimDue", 1,
                "commitAll", 1));
        assertThat(directoryCalls).as("tenant directory calls of the sweep").isEqualTo(Map.of("applyStatuses", 1));
        for (int i = 0; i < JOBS; i++) {
            String id = ids.get(i);
            assertThat(h.job(id).status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(h.tenantStatus("t" + i)).isEqualTo(TenantStatus.PROVISIONED);
            assertThat(h.stored(id).tenantStatusApplied()).isTrue();
            assertThat(h.stored(id).leaseOwner()).isNull();
            assertThat(h.stored(id).nextCheckAt()).isNull();
            List<JobEvent> timeline = stored.events(id);
            assertThat(timeline.subList(timeline.size() - 2, timeline.size())).extracting(JobEvent::type)
                    .containsExactly(JobEventType.STATUS_CHANGED, JobEventType.TENANT_STATUS_APPLIED);
            synchronized (h.heard) {
                assertThat(h.heard).filteredOn(e -> e.jobId().equals(id)).extracting(JobEvent::type)
                        .containsExactly(JobEventType.STATUS_CHANGED, JobEventType.TENANT_STATUS_APPLIED);
            }
        }
    }

    @Test
    void aJobOfTheBatchThatChangedMeanwhileIsLookedAtAgainOnItsOwnAndTheOthersEnd() {
        InMemoryJobRepository store = new InMemoryJobRepository();
        BumpingBatches repository = new BumpingBatches(store);
        EngineHarness e = new EngineHarness(store, new InMemoryTenantDirectory(), "node-1",
                b -> b.repository(repository));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            e.tenant("s" + i, "pending");
            e.runner.script("s" + i, Script.succeedAfter(0));
            ids.add(e.provisioner.request(ProvisioningRequest.provision("s" + i, DeploymentMode.DOTMAC_HOSTED)).id());
        }
        e.step();
        repository.bumpBeforeNextBatch(ids.get(1));

        e.advance(EngineHarness.POLL);

        assertThat(repository.batches()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            String id = ids.get(i);
            assertThat(e.job(id).status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(e.tenantStatus("s" + i)).isEqualTo(TenantStatus.PROVISIONED);
            assertThat(store.events(id)).filteredOn(ev -> ev.to() == JobStatus.SUCCEEDED).hasSize(1);
            assertThat(store.events(id)).filteredOn(ev -> ev.type() == JobEventType.TENANT_STATUS_APPLIED)
                    .hasSize(2);
        }
    }

    /** Writes batches through the wrapped repository's own {@code commitAll}, after changing one job of the batch. */
    private static final class BumpingBatches extends ForwardingJobRepository {
        private volatile String bump = "";
        private int batches;

        BumpingBatches(JobRepository delegate) {
            super(delegate);
        }

        void bumpBeforeNextBatch(String jobId) {
            bump = jobId;
        }

        synchronized int batches() {
            return batches;
        }

        @Override
        public synchronized List<JobWriteOutcome> commitAll(List<JobWrite> writes) {
            batches++;
            String id = bump;
            bump = "";
            delegate().find(id).ifPresent(s -> delegate().commit(s, List.of()));
            return delegate().commitAll(writes);
        }
    }

    private static Map<String, Integer> writes(Map<String, Integer> calls) {
        Map<String, Integer> writes = new TreeMap<>(calls);
        writes.keySet().removeAll(READS);
        return writes;
    }

    /** A proxy that counts the calls of each method by name and passes them on (default methods included). */
    private static <T> T counting(Class<T> type, T target, Map<String, Integer> calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            synchronized (calls) {
                calls.merge(method.getName(), 1, Integer::sum);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
