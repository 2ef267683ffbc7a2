package com.dotmac.provisioning.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.reliability.support.SteppedEngine;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When a launch's outcome is unknown (its answer timed out or was lost), AWX may start the run after the engine's
 * next attempt looked for it, and the engine launches again: AWX has no idempotency key, so a second run cannot
 * always be prevented. It must not be left running, though. Both tests step one engine deterministically (movable
 * clock, manual scheduler) and end with two AWX runs carrying the job's {@code provisioning_job_id}; the one the job
 * does not follow must have been cancelled. (Both failed when written: the engine followed one run and left the
 * other running; fixed in the engine since.)
 */
@Tag("reliability")
@Tag("awx-faults")
class DuplicateRunTest {
    private static final String LAUNCH = "job_templates/\\d+/launch/";
    /** Ten polls' worth of engine steps: every chance to notice the second run. */
    private static final int POLLS_OF_STEPS = (int) (10 * SteppedEngine.POLL_INTERVAL.toSeconds()
            / SteppedEngine.STEP.toSeconds());

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAwx awx = new FakeAwx().clock(clock);
    private Schema db;

    @BeforeEach
    void setUp() {
        db = Postgres.newSchema("duplicates").withTables();
        db.insertTenant("dup", "new");
        awx.defaultScript(RunScript.hang());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /**
     * The retry looks for earlier runs and sees two (an earlier attempt's run started late, and the run whose launch
     * answer was lost): it follows one and cancels the other.
     */
    @Test
    void findRunsThatSeesTwoRunsCancelsTheOneItDoesNotFollow() throws Exception {
        awx.start();
        awx.failNext(1, Fault.status(502).afterProcessing(), "POST", LAUNCH);
        List<Long> lateRun = new java.util.ArrayList<>();
        try (awx; SteppedEngine engine = new SteppedEngine(db, awx.configBuilder().build(), null, clock)) {
            ProvisioningJob job = engine.request(request(), j -> lateRun.add(awx.addJob(FakeAwx.PROVISION_TEMPLATE,
                    Map.of(PlaybookVariables.PROVISIONING_JOB_ID, j.id(), PlaybookVariables.TENANT_ID, "dup"),
                    clock.instant(), RunScript.hang())));
            engine.stepUntil(job.id(), s -> s.job().status() == JobStatus.IN_PROGRESS, 20);
            engine.steps(POLLS_OF_STEPS);

            assertOneRunLeftRunning(engine.provisioner().job(job.id()).orElseThrow(), lateRun);
        }
    }

    /**
     * The first launch is processed by AWX only after the engine gave up on its answer (read timeout), looked for it,
     * found nothing and launched again: the engine must notice the late run while it polls, and cancel it.
     */
    @Test
    void aLaunchProcessedAfterTheRetryLookedForItLeavesNoSecondRunRunning() throws Exception {
        try (AwxFront front = new AwxFront(awx, new Random(1))) {
            front.start();
            AwxFront.Hold hold = front.holdNextLaunch();
            try (SteppedEngine engine = new SteppedEngine(db, front.configBuilder()
                    .readTimeout(FaultMatrix.STALL_TIMEOUT).build(), null, clock)) {
                ProvisioningJob job = engine.request(request());
                assertThat(hold.isHolding()).as("the first launch reached AWX and is held").isTrue();
                engine.stepUntil(job.id(), s -> s.job().status() == JobStatus.IN_PROGRESS, 20);
                hold.release();
                await().atMost(Duration.ofSeconds(30)).until(() -> Launches.runsByJob(awx)
                        .getOrDefault(job.id(), List.of()).size() == 2);
                engine.steps(POLLS_OF_STEPS);

                assertOneRunLeftRunning(engine.provisioner().job(job.id()).orElseThrow(), List.of());
            }
        }
    }

    private static ProvisioningRequest request() {
        return ProvisioningRequest.builder("dup").deploymentMode(DeploymentMode.DOTMAC_HOSTED).build();
    }

    /** The job's AWX runs: its launches that started one, and runs the test added for it. */
    private void assertOneRunLeftRunning(ProvisioningJob job, List<Long> added) {
        List<Long> runs = new java.util.ArrayList<>(added);
        Launches.runsByJob(awx).getOrDefault(job.id(), List.of()).forEach(l -> runs.add(l.jobId()));
        assertThat(runs).as("AWX jobs carrying provisioning_job_id=%s", job.id()).hasSize(2);
        assertThat(runs).as("the job follows one of them").contains(Long.parseLong(String.valueOf(job.runId())));
        for (long other : runs) {
            if (!String.valueOf(other).equals(job.runId())) {
                assertThat(awx.job(other).orElseThrow().cancelRequested()).as("AWX job %d carries the id of job %s "
                        + "but is not the run the job follows (%s): it must be cancelled", other, job.id(), job.runId())
                        .isTrue();
            }
        }
    }
}
