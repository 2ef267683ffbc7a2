package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pending is not running (issue 15, item 10), against the fake AWX: a job AWX keeps {@code pending} (no capacity)
 * is cancelled in AWX after the pending timeout, and the provisioning job ends {@code timed_out} naming the
 * capacity, long before the job timeout.
 */
class AwxPendingTimeoutTest extends FakeAwxTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final Duration PENDING_TIMEOUT = Duration.ofMinutes(5);
    private static final String TENANT = "t-200";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final InMemoryJobRepository repository = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put(TENANT, "acme", "pending");
    private TenantProvisioner provisioner;

    @BeforeEach
    void startProvisioner() {
        fake.clock(clock);
        provisioner = TenantProvisioner.builder().repository(repository).runner(runner()).tenantDirectory(tenants)
                .scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL)
                .jobTimeout(Duration.ofHours(2)).pendingTimeout(PENDING_TIMEOUT)
                .retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(2)).jitter(() -> 0.999)
                .build();
        provisioner.start();
    }

    @AfterEach
    void stopProvisioner() {
        provisioner.close();
    }

    @Test
    void aJobAwxKeepsPendingIsCancelledAfterThePendingTimeoutAndTimesOutNamingTheCapacity() {
        fake.defaultScript(RunScript.hang());
        String jobId = provisioner.request(ProvisioningRequest.provision(TENANT, DeploymentMode.DOTMAC_HOSTED)).id();
        scheduler.runPending();
        ProvisioningJob launched = repository.find(jobId).orElseThrow().job();
        assertThat(launched.status()).isEqualTo(JobStatus.IN_PROGRESS);
        long awxJob = Long.parseLong(String.valueOf(launched.runId()));
        // AWX has no capacity: the job stays pending
        fake.forceStatus(awxJob, "pending");

        ProvisioningJob end = EngineSteps.runToEnd(provisioner, repository, scheduler, clock, POLL, jobId);

        assertThat(end.status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(end.errorCode()).isEqualTo(ErrorCodes.RUN_PENDING_TIMEOUT);
        assertThat(end.errorMessage()).isEqualTo("the run stayed pending for 5m (the automation platform has no "
                + "capacity for it: check AWX instance/instance-group capacity); run " + awxJob + " was cancelled");
        assertThat(end.runStartedAt()).isNull();
        assertThat(end.finishedAt()).isBetween(launched.startedAt().plus(PENDING_TIMEOUT),
                launched.startedAt().plus(PENDING_TIMEOUT).plus(POLL.multipliedBy(2)));
        assertThat(fake.job(awxJob).orElseThrow().status()).isEqualTo("canceled");
        assertThat(tenants.statusOf(TENANT)).isEqualTo(TenantStatus.FAILED_PROVISIONING);
    }
}
