package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, item 6: after a launch whose answer was lost (the service may still be processing it), the engine does
 * not look for its run, nor launch again, before the runner's launch settle time has passed since that launch began;
 * a run the service starts late within that time is found and followed, and no second run is ever started.
 */
class LaunchSettleTest {
    /** Longer than the harness's first back-off (10 s), so that the back-off alone would retry earlier. */
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(10);

    private static ProvisioningRequest provision(String tenant) {
        return ProvisioningRequest.builder(tenant).deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice")
                .build();
    }

    @Test
    void aLaunchWhoseAnswerWasLostIsNotLookedForBeforeTheSettleTimeAndItsRunIsFollowed() {
        EngineHarness h = new EngineHarness(b -> { }).tenant("acme", "pending");
        LostAnswers runner = new LostAnswers(h.runner, h.clock, false);
        EngineHarness node = node(h, runner);
        ProvisioningJob job = node.provisioner.request(provision("acme"));
        node.step();
        Instant firstLaunch = runner.launchCalls.get(0);
        assertThat(h.runner.runsFor(job.id())).as("the service started the run; its answer was lost").isEqualTo(1);

        stepUntil(node, h.clock, firstLaunch.plus(SETTLE).minusSeconds(1));

        assertThat(runner.findRunsCalls).as("searches before the settle time has passed").isEmpty();
        assertThat(runner.launchCalls).as("launch calls before the settle time has passed").hasSize(1);
        assertThat(node.job(job.id()).status()).isEqualTo(JobStatus.QUEUED);

        stepUntil(node, h.clock, firstLaunch.plus(SETTLE).plus(STEP));

        assertThat(runner.findRunsCalls).isNotEmpty();
        assertThat(runner.findRunsCalls.get(0)).as("the first search").isAfterOrEqualTo(firstLaunch.plus(SETTLE));
        assertThat(runner.launchCalls).as("no second launch: the run was found").hasSize(1);
        ProvisioningJob launched = node.job(job.id());
        assertThat(launched.status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(launched.runId()).isEqualTo(runner.lostRun().runId());
        assertThat(h.runner.runsFor(job.id())).isEqualTo(1);
    }

    @Test
    void aRunTheServiceStartsLateWithinTheSettleTimeIsFollowedAndNoSecondRunIsStarted() {
        EngineHarness h = new EngineHarness(b -> { }).tenant("acme", "pending");
        // the service holds the first launch request (nothing started yet) and the client gives up on its answer
        LostAnswers runner = new LostAnswers(h.runner, h.clock, true);
        EngineHarness node = node(h, runner);
        ProvisioningJob job = node.provisioner.request(provision("acme"));
        node.step();
        Instant firstLaunch = runner.launchCalls.get(0);
        assertThat(h.runner.runsFor(job.id())).isZero();

        // half the settle time later the service processes the held request: the run starts late
        stepUntil(node, h.clock, firstLaunch.plus(SETTLE.dividedBy(2)));
        LaunchedRun late = h.runner.launch(runner.held());
        stepUntil(node, h.clock, firstLaunch.plus(SETTLE).plus(STEP));
        ProvisioningJob done = runToEnd(node, h.clock, job.id());

        assertThat(h.runner.runsFor(job.id())).as("AWX runs ever started for the job").isEqualTo(1);
        assertThat(done.status()).as("%s %s", done.errorCode(), done.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.runId()).isEqualTo(late.runId());
        assertThat(h.runner.cancelRequests()).isEmpty();
        assertThat(node.provisioner.events(job.id())).anySatisfy(e -> assertThat(e.message())
                .contains("found run " + late.runId() + " started by an earlier launch attempt"));
    }

    @Test
    void aLaunchTheServiceSurelyDidNotTakeIsRetriedAfterItsBackOffNotTheSettleTime() {
        EngineHarness h = new EngineHarness(b -> { }).tenant("acme", "pending");
        NotTaken runner = new NotTaken(h.runner, h.clock);
        h.provisioner.close();
        EngineHarness node = new EngineHarness(h.repository, h.tenants, "node-2", b -> b.runner(runner).clock(h.clock));
        ProvisioningJob job = node.provisioner.request(provision("acme"));
        node.step();
        Instant firstLaunch = runner.launchCalls.get(0);

        stepUntil(node, h.clock, firstLaunch.plus(SETTLE.dividedBy(2)));

        assertThat(runner.launchCalls).as("the service refused the first launch (503): the next comes after the"
                + " back-off, not after the launch settle time").hasSizeGreaterThanOrEqualTo(2);
        assertThat(Duration.between(firstLaunch, runner.launchCalls.get(1))).isLessThan(SETTLE);
        ProvisioningJob launched = node.job(job.id());
        assertThat(launched.runId()).isNotNull();
        assertThat(launched.status()).isIn(JobStatus.IN_PROGRESS, JobStatus.SUCCEEDED);
        assertThat(h.runner.runsFor(job.id())).isEqualTo(1);
    }

    /** A node on the harness's clock, store and directory whose runner is {@code runner}. */
    private static EngineHarness node(EngineHarness h, LostAnswers runner) {
        h.provisioner.close();
        return new EngineHarness(h.repository, h.tenants, "node-2", b -> b.runner(runner).clock(h.clock));
    }

    /** {@link EngineHarness#runToEnd} for a node on another harness's clock. */
    private static ProvisioningJob runToEnd(EngineHarness node, MutableClock clock, String jobId) {
        node.step();
        for (int i = 0; i < 200; i++) {
            if (node.job(jobId).status().isTerminal() && node.stored(jobId).tenantStatusApplied()) {
                return node.job(jobId);
            }
            clock.advance(EngineHarness.POLL);
            node.step();
        }
        throw new AssertionError("job " + jobId + " did not finish: " + node.stored(jobId));
    }

    /** Steps the node every {@link #STEP} until its clock reaches {@code until} (not past it). */
    private static void stepUntil(EngineHarness node, MutableClock clock, Instant until) {
        while (clock.instant().plus(STEP).compareTo(until) <= 0) {
            clock.advance(STEP);
            node.step();
        }
        if (clock.instant().isBefore(until)) {
            clock.advance(Duration.between(clock.instant(), until));
            node.step();
        }
    }

    /** A runner whose first launch the service refuses (it surely started nothing); declares {@link #SETTLE}. */
    private static final class NotTaken extends ForwardingAutomationRunner {
        private final MutableClock clock;
        final List<Instant> launchCalls = new CopyOnWriteArrayList<>();

        NotTaken(ScriptedAutomationRunner delegate, MutableClock clock) {
            super(delegate);
            this.clock = clock;
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            launchCalls.add(clock.instant());
            if (launchCalls.size() > 1) {
                return super.launch(spec);
            }
            throw AutomationException.notTaken("SCRIPTED_UNAVAILABLE", "the service answered 503", null, null);
        }

        @Override
        public Duration launchSettleTime() {
            return SETTLE;
        }
    }

    /**
     * A runner whose first launch's answer is lost: the call throws a transient failure after the service started
     * the run ({@code hold} false), or before it processed the request ({@code hold} true: the test starts the run
     * later with {@link #held()}). Declares {@link #SETTLE} and records when the engine searched and launched.
     */
    private static final class LostAnswers extends ForwardingAutomationRunner {
        private final MutableClock clock;
        private final boolean hold;
        private final AtomicReference<@Nullable LaunchSpec> held = new AtomicReference<>();
        private final AtomicReference<@Nullable LaunchedRun> lostRun = new AtomicReference<>();
        final List<Instant> launchCalls = new CopyOnWriteArrayList<>();
        final List<Instant> findRunsCalls = new CopyOnWriteArrayList<>();

        LostAnswers(ScriptedAutomationRunner delegate, MutableClock clock, boolean hold) {
            super(delegate);
            this.clock = clock;
            this.hold = hold;
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            launchCalls.add(clock.instant());
            if (launchCalls.size() > 1) {
                return super.launch(spec);
            }
            if (hold) {
                held.set(spec);
            } else {
                lostRun.set(super.launch(spec));
            }
            throw AutomationException.transientFailure("SCRIPTED_TIMEOUT", "the launch's answer did not come in time",
                    null);
        }

        @Override
        public List<LaunchedRun> findRuns(LaunchSpec spec) {
            findRunsCalls.add(clock.instant());
            return super.findRuns(spec);
        }

        @Override
        public Duration launchSettleTime() {
            return SETTLE;
        }

        LaunchSpec held() {
            return Objects.requireNonNull(held.get(), "the held launch request");
        }

        LaunchedRun lostRun() {
            return Objects.requireNonNull(lostRun.get(), "the run whose launch answer was lost");
        }
    }
}
