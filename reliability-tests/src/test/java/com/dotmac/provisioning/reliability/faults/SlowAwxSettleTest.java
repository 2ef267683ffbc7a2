package com.dotmac.provisioning.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.reliability.support.SteppedEngine;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, item 6: under a slow AWX that processes a launch only after the client gave up on its answer, but within
 * the runner's launch settle time, exactly one AWX run is ever started for the job: the engine's next attempt waits
 * for the settle time, finds the late run and follows it (not: launches a second run and cancels one of them, as
 * {@link DuplicateRunTest} shows for an AWX slower than the settle time). One engine stepped deterministically
 * (movable clock shared with the fake AWX, manual scheduler); only the client's read timeout is real time.
 */
@Tag("reliability")
@Tag("awx-faults")
class SlowAwxSettleTest {
    /** What the operator declares: AWX (and its proxies) may hold a launch request up to two minutes. */
    private static final Duration SETTLE = Duration.ofMinutes(2);
    /** AWX processes the held launch this long (engine clock) after the engine gave up on its answer. */
    private static final Duration AWX_LATE_BY = Duration.ofMinutes(1);
    /** Ten polls' worth of engine steps: every chance to launch or notice a second run. */
    private static final int POLLS_OF_STEPS = (int) (10 * SteppedEngine.POLL_INTERVAL.toSeconds()
            / SteppedEngine.STEP.toSeconds());

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAwx awx = new FakeAwx().clock(clock);
    private Schema db;

    @BeforeEach
    void setUp() {
        db = Postgres.newSchema("settle").withTables();
        db.insertTenant("slow", "new");
        awx.defaultScript(RunScript.hang());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aLaunchAwxProcessesAfterTheReadTimeoutButWithinTheSettleTimeStartsExactlyOneRun() throws Exception {
        try (AwxFront front = new AwxFront(awx, new Random(1))) {
            front.start();
            AwxFront.Hold hold = front.holdNextLaunch();
            try (SteppedEngine engine = new SteppedEngine(db, front.configBuilder()
                    .readTimeout(FaultMatrix.STALL_TIMEOUT).launchSettleTime(SETTLE).build(), null, clock)) {
                ProvisioningJob job = engine.request(request());
                assertThat(hold.isHolding()).as("the first launch reached AWX and is held").isTrue();
                StoredJob lost = engine.provisioner().repository().find(job.id()).orElseThrow();
                assertThat(lost.job().status()).isEqualTo(JobStatus.QUEUED);
                assertThat(lost.job().errorCode()).as("the client gave up on the answer")
                        .isEqualTo(AwxErrorCodes.TIMEOUT);
                assertThat(lost.launchPendingSince()).isNotNull();

                // AWX is slow, not down: it processes the held launch a minute later, within the settle time
                engine.steps((int) (AWX_LATE_BY.toSeconds() / SteppedEngine.STEP.toSeconds()));
                hold.release();
                await().atMost(Duration.ofSeconds(30)).until(hold::isProcessed);
                engine.stepUntil(job.id(), s -> s.job().status() == JobStatus.IN_PROGRESS, 60);
                engine.steps(POLLS_OF_STEPS);

                List<LaunchRecord> runs = Launches.runsByJob(awx).getOrDefault(job.id(), List.of());
                assertThat(runs).as("AWX jobs ever started carrying provisioning_job_id=%s", job.id()).hasSize(1);
                long run = runs.get(0).jobId();
                ProvisioningJob followed = engine.provisioner().job(job.id()).orElseThrow();
                assertThat(followed.runId()).isEqualTo(String.valueOf(run));
                assertThat(awx.job(run).orElseThrow().cancelRequested()).as("the one run is not cancelled").isFalse();
                assertThat(engine.provisioner().events(job.id())).anySatisfy(e -> assertThat(e.message())
                        .contains("found run " + run + " started by an earlier launch attempt"));
            }
        }
    }

    private static ProvisioningRequest request() {
        return ProvisioningRequest.builder("slow").deploymentMode(DeploymentMode.DOTMAC_HOSTED).build();
    }
}
