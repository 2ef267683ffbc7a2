package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The job repository becomes unreachable for a while (issue 21, database outage): the sweep backs off with one WARN
 * per outage and one line when it ends, requests fail fast with {@link ProvisioningUnavailableException} and store
 * nothing, and every job is followed to its end after the return without a second launch, also the one whose launch
 * answer came back while the repository was down.
 */
class RepositoryOutageTest {
    private static final Duration SWEEP = EngineSettings.DEFAULT_SWEEP_INTERVAL;
    private static final Duration POLL = Duration.ofSeconds(15);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(clock);
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("acme", "acme", "pending");
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean downAfterNextLaunch = new AtomicBoolean();
    private final AtomicInteger claimAttempts = new AtomicInteger();
    private final CountDownLatch pageRead = new CountDownLatch(1);
    private volatile @Nullable CountDownLatch holdPageAnswer;
    private final JobRepository repository = new Outage(stored);
    private final TenantProvisioner provisioner = TenantProvisioner.builder()
            .repository(repository)
            .runner(new ForwardingAutomationRunner(scripted) {
                @Override
                public LaunchedRun launch(LaunchSpec spec) {
                    LaunchedRun run = super.launch(spec);
                    if (downAfterNextLaunch.getAndSet(false)) {
                        down.set(true);
                    }
                    return run;
                }
            })
            .tenantDirectory(tenants)
            .scheduler(scheduler).clock(clock).nodeId("node-1")
            .pollInterval(POLL).jitter(() -> 0.999)
            .build();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger engineLog = (Logger) LoggerFactory.getLogger("com.dotmac.provisioning");

    @BeforeEach
    void captureLogs() {
        logs.start();
        engineLog.addAppender(logs);
        provisioner.start();
    }

    @AfterEach
    void close() {
        engineLog.detachAppender(logs);
        provisioner.close();
    }

    @Test
    void anOutageBacksOffWithOneWarningAndOneLineWhenItEnds() {
        scripted.defaultScript(Script.succeedAfter(3));
        String jobId = provisioner.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED)).id();
        step();
        assertThat(stored.find(jobId).orElseThrow().job().status()).isEqualTo(JobStatus.IN_PROGRESS);

        down.set(true);
        int before = claimAttempts.get();
        Instant outageStart = clock.instant();
        for (int i = 0; i < 30; i++) {
            advance(SWEEP);
        }
        // 30 sweeps in 60 s; backing off from the sweep interval (2, 4, then 5 s: every third sweep of this 2 s
        // grid) it tries 11 times
        assertThat(claimAttempts.get() - before).isBetween(10, 12);
        down.set(false);
        for (int i = 0; i < 15; i++) {
            advance(SWEEP);
        }
        Duration outage = Duration.between(outageStart, clock.instant());

        assertThat(warnings()).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).contains("node-1").contains("job repository is unavailable")
                    .contains("database is down");
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(lines("reachable again")).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .matches(".*reachable again after \\d+\\.\\d s.*"));
        assertThat(outage).isLessThan(Duration.ofMinutes(2));

        runToEnd(jobId);
        assertThat(stored.find(jobId).orElseThrow().job().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(scripted.runsFor(jobId)).isEqualTo(1);
        assertThat(tenants.statusOf("acme")).isEqualTo("provisioned");
    }

    @Test
    void aRequestDuringAnOutageFailsFastAndStoresNothing() {
        down.set(true);
        assertThatThrownBy(() -> provisioner.request(
                ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED)))
                .isInstanceOf(ProvisioningUnavailableException.class)
                .hasMessageContaining("database")
                .satisfies(e -> assertThat(((ProvisioningUnavailableException) e).retryAfter())
                        .isPositive());
        assertThatThrownBy(() -> provisioner.job("any")).isInstanceOf(ProvisioningUnavailableException.class);
        assertThatThrownBy(() -> provisioner.jobs("acme", 1, 10))
                .isInstanceOf(ProvisioningUnavailableException.class);

        down.set(false);
        assertThat(stored.page("acme", 1, 10).total()).isZero();
        assertThat(tenants.statusOf("acme")).isEqualTo("pending");
        assertThat(scripted.launches()).isEmpty();
    }

    @Test
    void aLaunchAnsweredWhileTheRepositoryIsDownIsFoundAgainAndNotLaunchedTwice() {
        scripted.defaultScript(Script.succeedAfter(2));
        downAfterNextLaunch.set(true);
        String jobId = provisioner.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED)).id();
        step();
        assertThat(scripted.runsFor(jobId)).isEqualTo(1);
        assertThat(down.get()).isTrue();
        for (int i = 0; i < 10; i++) {
            advance(SWEEP);
        }
        down.set(false);

        runToEnd(jobId);
        ProvisioningJob job = stored.find(jobId).orElseThrow().job();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.runId()).isNotNull();
        assertThat(scripted.runsFor(jobId)).isEqualTo(1);
        assertThat(stored.events(jobId)).anySatisfy(e -> assertThat(e.message()).contains("started by an earlier launch attempt"));
        assertThat(tenants.statusOf("acme")).isEqualTo("provisioned");
    }

    @Test
    void aCallThatBeganBeforeTheOutageDoesNotEndItWhenItsAnswerComesLate() throws Exception {
        holdPageAnswer = new CountDownLatch(1);
        CompletableFuture<JobPage> read = CompletableFuture.supplyAsync(() -> provisioner.jobs("acme", 1, 10));
        assertThat(pageRead.await(30, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        down.set(true);
        step();
        assertThat(lines("the job repository is unavailable")).hasSize(1);

        holdPageAnswer.countDown();
        read.get(30, TimeUnit.SECONDS);

        assertThat(lines("reachable again")).as("an answer to a call made before the outage began").isEmpty();
        assertThat(provisioner.repositoryUnavailableSince()).isPresent();
        down.set(false);
        advance(Duration.ofSeconds(5));
        assertThat(lines("reachable again")).hasSize(1);
        assertThat(lines("the job repository is unavailable")).as("still one outage").hasSize(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void step() {
        scheduler.runPending();
        provisioner.sweepNow();
        scheduler.runPending();
    }

    private void advance(Duration d) {
        clock.advance(d);
        step();
    }

    private void runToEnd(String jobId) {
        for (int i = 0; i < 100; i++) {
            StoredJob s = stored.find(jobId).orElseThrow();
            if (s.job().status().isTerminal() && s.tenantStatusApplied()) {
                return;
            }
            advance(SWEEP);
        }
        throw new AssertionError("job " + jobId + " did not finish: " + stored.find(jobId).orElseThrow());
    }

    private List<ILoggingEvent> warnings() {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    private List<ILoggingEvent> lines(String text) {
        return logs.list.stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
    }

    /** The in-memory repository, unreachable while {@link #down} is set (as a JDBC adapter reports it). */
    private final class Outage extends ForwardingJobRepository {
        Outage(JobRepository delegate) {
            super(delegate);
        }

        private void reachable(String action) {
            if (down.get()) {
                throw new RepositoryUnavailableException("could not " + action + ": the database is down", null);
            }
        }

        @Override
        public StoredJob create(StoredJob job, List<com.dotmac.provisioning.JobEvent> events) {
            reachable("create a job");
            return super.create(job, events);
        }

        @Override
        public Optional<StoredJob> find(String jobId) {
            reachable("read a job");
            return super.find(jobId);
        }

        @Override
        public Optional<StoredJob> findActive(String tenantId) {
            reachable("read the active job");
            return super.findActive(tenantId);
        }

        @Override
        public Optional<StoredJob> findByIdempotencyKey(String tenantId, String idempotencyKey) {
            reachable("read a job by key");
            return super.findByIdempotencyKey(tenantId, idempotencyKey);
        }

        @Override
        public JobPage page(String tenantId, int page, int pageSize) {
            reachable("read jobs");
            JobPage read = super.page(tenantId, page, pageSize);
            CountDownLatch hold = holdPageAnswer;
            if (hold != null) {
                pageRead.countDown();
                awaitQuietly(hold);
            }
            return read;
        }

        @Override
        public List<StoredJob> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
            claimAttempts.incrementAndGet();
            reachable("claim due jobs");
            return super.claimDue(owner, now, leaseUntil, limit);
        }

        @Override
        public Optional<StoredJob> claim(String jobId, String owner, Instant now, Instant leaseUntil) {
            reachable("claim a job");
            return super.claim(jobId, owner, now, leaseUntil);
        }

        @Override
        public StoredJob commit(StoredJob job, List<com.dotmac.provisioning.JobEvent> newEvents) {
            reachable("write a job");
            return super.commit(job, newEvents);
        }

        @Override
        public Optional<StoredJob> commitIfRunsInFlightBelow(StoredJob job,
                List<com.dotmac.provisioning.JobEvent> newEvents, int cap) {
            reachable("write a job under the cap");
            return super.commitIfRunsInFlightBelow(job, newEvents, cap);
        }

        @Override
        public int reschedule(Collection<StoredJob> jobs, Instant nextCheckAt) {
            reachable("reschedule jobs");
            return super.reschedule(jobs, nextCheckAt);
        }

        @Override
        public Set<String> renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
            reachable("renew leases");
            return super.renewLeases(owner, jobIds, leaseUntil);
        }

        @Override
        public List<com.dotmac.provisioning.JobEvent> events(String jobId) {
            reachable("read events");
            return super.events(jobId);
        }

        @Override
        public long countRunsInFlight() {
            reachable("count runs in flight");
            return super.countRunsInFlight();
        }
    }
}
