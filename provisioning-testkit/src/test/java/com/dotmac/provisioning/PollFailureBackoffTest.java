package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Failed polls back off per job: the polls of one job that keep failing (its run's service is out, say) neither
 * make another job's first failed poll wait long, nor are sped up again by another job's successful polls. The
 * harness's back-off: 10 s, then doubling up to 2 minutes, at the top of its jitter.
 */
class PollFailureBackoffTest {
    private final FailingPolls runner = new FailingPolls();
    private final EngineHarness h = new EngineHarness(new InMemoryJobRepository(), new InMemoryTenantDirectory(),
            "node-1", b -> b.runner(runner).callbackSafetyPollEvery(1)); // polls every interval, as it counts them

    PollFailureBackoffTest() {
        runner.delegate = h.runner;
    }

    @Test
    void oneJobsFailingPollsBackOffAlthoughAnotherJobsPollsSucceed() {
        String failing = launch("t1");
        // two seconds apart, so that the two jobs are never due at once (never polled in one batch)
        h.advance(Duration.ofSeconds(2));
        String healthy = launch("t2");
        runner.failPollsOf(h.job(failing).runId());

        for (int second = 0; second < 300; second++) {
            h.advance(Duration.ofSeconds(1));
        }

        // five minutes: failed polls at about 15 s, +10, +20, +40, +80, +120 s, not one every poll interval
        assertThat(runner.failedPollsOf(h.job(failing).runId())).hasSizeBetween(5, 6);
        assertThat(runner.polledRuns()).filteredOn(h.job(healthy).runId()::equals).hasSizeGreaterThan(15);
        assertThat(h.job(failing).status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(h.job(healthy).status()).isEqualTo(JobStatus.IN_PROGRESS);
    }

    @Test
    void anotherJobsFailedPollsDoNotSlowTheFirstFailedPollOfAJob() {
        String failing = launch("t1");
        runner.failPollsOf(h.job(failing).runId());
        for (int second = 0; second < 300; second++) {
            h.advance(Duration.ofSeconds(1));
        }
        assertThat(runner.failedPollsOf(h.job(failing).runId())).hasSizeGreaterThanOrEqualTo(4);

        // a job launched now whose first poll fails is looked at again after the first back-off step (10 s)
        String other = launch("t2");
        runner.failPollsOf(h.job(other).runId());
        Instant failedAt = null;
        for (int second = 0; second < 30 && failedAt == null; second++) {
            h.advance(Duration.ofSeconds(1));
            if (!runner.failedPollsOf(h.job(other).runId()).isEmpty()) {
                failedAt = h.clock.instant();
            }
        }
        assertThat(failedAt).isNotNull();
        Instant next = h.stored(other).nextCheckAt();
        assertThat(next).isNotNull();
        assertThat(Duration.between(failedAt, next)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    private String launch(String tenant) {
        h.tenant(tenant, "pending");
        h.runner.script(tenant, Script.hang());
        String id = h.provisioner.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED)).id();
        h.step();
        assertThat(h.job(id).status()).isEqualTo(JobStatus.IN_PROGRESS);
        return id;
    }

    /** The scripted runner, except that a poll including chosen runs fails as an unreachable service. */
    private static final class FailingPolls implements AutomationRunner {
        volatile @Nullable AutomationRunner delegate;
        private final Set<String> failing = ConcurrentHashMap.newKeySet();
        private final List<String> failed = new CopyOnWriteArrayList<>();
        private final List<String> polled = new CopyOnWriteArrayList<>();

        void failPollsOf(@Nullable String runId) {
            failing.add(Objects.requireNonNull(runId));
        }

        List<String> failedPollsOf(@Nullable String runId) {
            return failed.stream().filter(r -> r.equals(runId)).toList();
        }

        List<String> polledRuns() {
            return List.copyOf(polled);
        }

        private AutomationRunner delegate() {
            return Objects.requireNonNull(delegate);
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            return delegate().launch(spec);
        }

        @Override
        public List<LaunchedRun> findRuns(LaunchSpec spec) {
            return delegate().findRuns(spec);
        }

        @Override
        public Map<String, RunStatus> poll(Collection<String> runIds) {
            List<String> down = runIds.stream().filter(failing::contains).toList();
            if (!down.isEmpty()) {
                failed.addAll(down);
                throw AutomationException.transientFailure("UNREACHABLE", "run service of " + down + " is down",
                        null);
            }
            polled.addAll(runIds);
            return delegate().poll(runIds);
        }

        @Override
        public void cancel(String runId) {
            delegate().cancel(runId);
        }
    }
}
