package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One engine stepped by the test: a {@link MutableClock} (shared with the fake AWX), a {@link ManualScheduler}, the
 * JDBC repository and tenant directory on a test schema, and an {@link AwxAutomationRunner} whose retries record
 * their waits instead of sleeping. Each step moves the clock by {@link #STEP}, sweeps, and runs what the sweep
 * queued, so a run of hours takes milliseconds and no test waits on wall-clock time. Not thread-safe.
 */
public final class SteppedEngine implements AutoCloseable {
    /** How far each step moves the clock. */
    public static final Duration STEP = Duration.ofSeconds(5);
    /** Engine poll interval. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(10);
    /** Engine job timeout. */
    public static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    /** Engine cancel grace. */
    public static final Duration CANCEL_GRACE = Duration.ofMinutes(2);
    /** Engine launch attempts. */
    public static final int LAUNCH_ATTEMPTS = 4;

    private final MutableClock clock;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final AwxAutomationRunner runner;
    private final TenantProvisioner provisioner;
    private final List<Duration> runnerWaits = new CopyOnWriteArrayList<>();

    /**
     * @param db the schema (with tables)
     * @param awx the runner's configuration
     * @param callback callback settings, or null
     * @param clock the clock of the engine, the runner and the fake AWX
     */
    public SteppedEngine(Schema db, AwxConfig awx, @Nullable CallbackSettings callback, MutableClock clock) {
        this(db, awx, callback, clock, builder -> { });
    }

    /**
     * @param db the schema (with tables)
     * @param awx the runner's configuration
     * @param callback callback settings, or null
     * @param clock the clock of the engine, the runner and the fake AWX
     * @param customise changes to the engine's settings before it is built (e.g. a rollout repository, a cap on
     *     runs in flight)
     */
    public SteppedEngine(Schema db, AwxConfig awx, @Nullable CallbackSettings callback, MutableClock clock,
            Consumer<TenantProvisioner.Builder> customise) {
        this.clock = clock;
        this.runner = new AwxAutomationRunner(awx, runnerWaits::add, clock);
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(new ClockedJobRepository(new JdbcJobRepository(db.dataSource(), JdbcDialect.POSTGRESQL),
                        clock))
                .tenantDirectory(JdbcTenantDirectory.builder(db.dataSource()).build())
                .runner(runner)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId("stepped-node")
                .pollInterval(POLL_INTERVAL)
                .jobTimeout(JOB_TIMEOUT)
                .cancelGrace(CANCEL_GRACE)
                .maxLaunchAttempts(LAUNCH_ATTEMPTS)
                .retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(1))
                .jitter(() -> 0.5)
                .callback(callback);
        customise.accept(builder);
        this.provisioner = builder.build();
        provisioner.start();
    }

    /** @return the provisioner */
    public TenantProvisioner provisioner() {
        return provisioner;
    }

    /** @return the waits the runner's own retries asked for (none are slept) */
    public List<Duration> runnerWaits() {
        return List.copyOf(runnerWaits);
    }

    /**
     * Requests a job and runs what the request queued.
     *
     * @param request the request
     * @return the job as the request returned it
     */
    public ProvisioningJob request(ProvisioningRequest request) {
        return request(request, job -> { });
    }

    /**
     * Requests a job, lets the test prepare (e.g. the fake AWX's script for this job id), then runs what the request
     * queued (typically the launch).
     *
     * @param request the request
     * @param beforeProcessing runs with the new job before the engine works on it
     * @return the job as the request returned it
     */
    public ProvisioningJob request(ProvisioningRequest request, Consumer<ProvisioningJob> beforeProcessing) {
        ProvisioningJob job = provisioner.request(request);
        beforeProcessing.accept(job);
        scheduler.runPending();
        return job;
    }

    /**
     * Steps until the job is in the state wanted.
     *
     * @param jobId the job
     * @param wanted the state
     * @param maxSteps the most steps
     * @return the job in that state
     * @throws AssertionError naming the job's state and timeline when it does not get there
     */
    public StoredJob stepUntil(String jobId, Predicate<StoredJob> wanted, int maxSteps) {
        for (int step = 0; ; step++) {
            StoredJob s = provisioner.repository().find(jobId).orElseThrow();
            if (wanted.test(s)) {
                return s;
            }
            if (step == maxSteps) {
                throw new AssertionError("after " + maxSteps + " steps of " + STEP + " job " + jobId + " is "
                        + s.job().status().wireName() + " (error " + s.job().errorCode() + ": " + s.job().errorMessage()
                        + "); timeline:\n" + provisioner.events(jobId).stream().map(SteppedEngine::line)
                        .collect(Collectors.joining("\n")));
            }
            steps(1);
        }
    }

    /**
     * Moves the clock by {@link #STEP}, sweeps and runs what the sweep queued, {@code count} times.
     *
     * @param count how many steps
     */
    public void steps(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(STEP);
            provisioner.sweepNow();
            scheduler.runPending();
        }
    }

    /** @return a state: terminal, with its tenant status applied and nothing left to do */
    public static Predicate<StoredJob> settled() {
        return s -> s.job().status().isTerminal() && s.tenantStatusApplied() && s.nextCheckAt() == null;
    }

    /** @return a state: no longer queued */
    public static Predicate<StoredJob> launched() {
        return s -> s.job().status() != com.dotmac.provisioning.JobStatus.QUEUED;
    }

    private static String line(JobEvent e) {
        return "  " + e.at() + " " + e.type().wireName() + " " + e.message() + " " + e.data();
    }

    @Override
    public void close() {
        provisioner.close();
        runner.close();
    }
}
