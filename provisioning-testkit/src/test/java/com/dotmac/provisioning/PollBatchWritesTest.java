package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The writes of one batch poll are independent: a job whose result cannot be written (the database refuses that one
 * commit) is released to be looked at again, and every other job of the batch is applied or released at once.
 */
class PollBatchWritesTest {
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final FailingCommits repository = new FailingCommits(stored);
    private final EngineHarness h = new EngineHarness(stored, new InMemoryTenantDirectory(), "node-1",
            b -> b.repository(repository).callbackSafetyPollEvery(1)); // every interval, as it counts them

    @Test
    void aJobWhoseEndCannotBeWrittenDoesNotStallTheOthersOfItsBatch() {
        h.tenant("t1", "pending").tenant("t2", "pending").tenant("t3", "pending");
        h.runner.script("t1", Script.succeedAfter(0));
        h.runner.script("t2", Script.succeedAfter(0));
        h.runner.script("t3", Script.hang());
        String failing = h.provisioner.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        String ending = h.provisioner.request(ProvisioningRequest.provision("t2", DeploymentMode.DOTMAC_HOSTED)).id();
        String running = h.provisioner.request(ProvisioningRequest.provision("t3", DeploymentMode.DOTMAC_HOSTED)).id();
        h.step();
        assertThat(List.of(failing, ending, running)).allSatisfy(id ->
                assertThat(h.job(id).status()).isEqualTo(JobStatus.IN_PROGRESS));

        // the next sweep polls all three runs in one batch; writing the first job's end fails once
        repository.failNextCommitOf(failing);
        h.advance(EngineHarness.POLL);
        Instant now = h.clock.instant();

        assertThat(repository.failedCommits()).containsExactly(failing);
        assertThat(h.job(ending).status()).isEqualTo(JobStatus.SUCCEEDED);
        StoredJob stillRunning = h.stored(running);
        assertThat(stillRunning.leaseOwner()).as("the running job is released, not left leased").isNull();
        assertThat(stillRunning.nextCheckAt()).isEqualTo(now.plus(EngineHarness.POLL));
        StoredJob notWritten = h.stored(failing);
        assertThat(notWritten.job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(notWritten.leaseOwner()).as("the job whose write failed is released").isNull();
        assertThat(notWritten.nextCheckAt()).isNotNull().isAfter(now).isBeforeOrEqualTo(now.plus(EngineHarness.POLL));

        // the next look at it writes its end
        assertThat(h.runToEnd(failing).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(h.tenantStatus("t1")).isEqualTo(TenantStatus.PROVISIONED);
    }

    /** A repository that refuses the next commit of chosen jobs, as a database that loses one statement. */
    private static final class FailingCommits extends ForwardingJobRepository {
        private final Set<String> failNext = ConcurrentHashMap.newKeySet();
        private final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();

        FailingCommits(JobRepository delegate) {
            super(delegate);
        }

        void failNextCommitOf(String jobId) {
            failNext.add(jobId);
        }

        List<String> failedCommits() {
            return List.copyOf(failed);
        }

        @Override
        public StoredJob commit(StoredJob job, List<JobEvent> newEvents) {
            if (failNext.remove(job.id())) {
                failed.add(job.id());
                throw new IllegalStateException("could not write job " + job.id() + ": connection reset");
            }
            return delegate().commit(job, newEvents);
        }
    }
}
