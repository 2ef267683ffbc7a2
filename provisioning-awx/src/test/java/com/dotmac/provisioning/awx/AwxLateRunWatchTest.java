package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch for late runs (a job launched after an uncertain attempt is looked for among its template's AWX jobs for
 * a few minutes) against the fake AWX: it searches from the job's first launch attempt, not from its creation, so a
 * job that waited hours behind the runs-in-flight cap costs one page per look; and a look that fails is reported
 * once per job, and the watch still ends.
 */
class AwxLateRunWatchTest extends FakeAwxTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final String LAUNCH = "job_templates/\\d+/launch/";
    private static final String LISTING = "job_templates/14/jobs/";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final InMemoryJobRepository repository = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory()
            .put("t-1", "first", "pending").put("t-2", "second", "pending");
    private TenantProvisioner provisioner;

    @BeforeEach
    void startProvisioner() {
        fake.clock(clock).maxPageSize(20).defaultScript(RunScript.hang());
        provisioner = TenantProvisioner.builder().repository(repository).runner(runner()).tenantDirectory(tenants)
                .scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL).maxConcurrentRuns(1)
                .jobTimeout(Duration.ofHours(6)).retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(2))
                .jitter(() -> 0.999).build();
        provisioner.start();
    }

    @AfterEach
    void stopProvisioner() {
        provisioner.close();
    }

    @Test
    void aJobThatWaitedHoursBehindTheCapIsWatchedFromItsLaunchNotItsCreation() {
        ProvisioningJob blocker = request("t-1");
        assertThat(job(blocker).status()).isEqualTo(JobStatus.IN_PROGRESS);
        ProvisioningJob waiting = request("t-2");
        assertThat(job(waiting).status()).isEqualTo(JobStatus.QUEUED);
        // two hours of other jobs of the same template (400 AWX jobs: 20 pages of 20) while the job waits
        for (int i = 0; i < 400; i++) {
            fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(PlaybookVariables.PROVISIONING_JOB_ID, "other-" + i),
                    waiting.createdAt().plus(Duration.ofSeconds(18L * i)), RunScript.succeedAfter(0));
        }
        clock.advance(Duration.ofHours(3));
        fake.forceStatus(Long.parseLong(String.valueOf(job(blocker).runId())), "successful");
        // the blocker ends; the waiting job's first launch attempt fails before AWX created anything
        fake.failNext(1, Fault.status(502), "POST", LAUNCH);
        sweep();
        Instant firstAttempt = clock.instant();
        assertThat(job(waiting).retryCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        sweep();
        ProvisioningJob launched = job(waiting);
        assertThat(launched.status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(launched.retryCount()).isEqualTo(2);
        fake.clearCalls();

        // a minute later AWX starts the first attempt's run after all: the watch finds and cancels it
        long late = 0;
        for (int poll = 1; poll <= 16; poll++) { // four minutes
            clock.advance(POLL);
            if (poll == 4) {
                late = fake.addJob(FakeAwx.PROVISION_TEMPLATE,
                        Map.of(PlaybookVariables.PROVISIONING_JOB_ID, waiting.id()), clock.instant(),
                        RunScript.hang());
            }
            sweep();
        }

        assertThat(fake.job(late).orElseThrow().cancelRequested()).isTrue();
        assertThat(fake.job(Long.parseLong(String.valueOf(launched.runId()))).orElseThrow().cancelRequested())
                .isFalse();
        List<RecordedCall> looks = fake.calls("GET", LISTING);
        // one page per look, every 30 s for the three minutes after the launch: not the template's 400 older jobs
        assertThat(looks).hasSizeBetween(6, 8).allSatisfy(call -> {
            assertThat(query(call, "page")).isNull();
            assertThat(Instant.parse(query(call, "created__gte")))
                    .isAfterOrEqualTo(firstAttempt.minus(AwxConfig.DEFAULT_FIND_LAUNCHED_CLOCK_SKEW).minusSeconds(1));
        });
    }

    @Test
    void aLookThatFailsIsReportedOncePerJobAndTheWatchStillEnds() {
        fake.failNext(1, Fault.status(502), "POST", LAUNCH);
        ProvisioningJob first = request("t-1");
        clock.advance(Duration.ofSeconds(10));
        sweep();
        assertThat(job(first).status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(job(first).retryCount()).isEqualTo(2);
        fake.failNext(10_000, Fault.status(503), "GET", LISTING);
        fake.clearCalls();

        try (LogCapture logs = new LogCapture()) {
            for (int poll = 1; poll <= 40; poll++) { // ten minutes
                clock.advance(POLL);
                sweep();
            }
            // the engine's word to the operator (the runner's own retries of each request log apart from it)
            assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.WARN)
                    .filteredOn(e -> e.getLoggerName().endsWith(".ProvisioningEngine"))
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains(first.id())
                            .contains(String.valueOf(job(first).runId())).contains("503"));
        }
        // looks every 30 s while the watch lasts (three minutes after the launch), none after
        int looksSoFar = fake.calls("GET", LISTING).size();
        for (int poll = 1; poll <= 20; poll++) {
            clock.advance(POLL);
            sweep();
        }
        assertThat(looksSoFar).isPositive();
        assertThat(fake.calls("GET", LISTING)).hasSize(looksSoFar);
        assertThat(provisioner.events(first.id())).extracting(JobEvent::type).contains(JobEventType.LAUNCH_PENDING);
    }

    private ProvisioningJob request(String tenant) {
        ProvisioningJob job = provisioner.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED));
        scheduler.runPending();
        return job(job);
    }

    private ProvisioningJob job(ProvisioningJob job) {
        return repository.find(job.id()).orElseThrow().job();
    }

    private void sweep() {
        scheduler.runPending();
        provisioner.sweepNow();
        scheduler.runPending();
    }

    private static String query(RecordedCall call, String name) {
        if (call.query() == null) {
            return null;
        }
        for (String pair : call.query().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
