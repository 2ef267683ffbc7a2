package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.RetentionSettings;
import com.dotmac.provisioning.TenantDirectoryBacklog;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives jobs to a terminal state (docs/DESIGN.md "The engine"). Each unit of work runs under a lease claimed from
 * the repository; every write is version-checked, and a lost check makes the engine re-read the job and decide
 * again. This class wires the parts together, starts and stops the periodic sweep, and is what the provisioner and
 * {@link JobCommands} call; each part does one job:
 *
 * <ul>
 *   <li>{@link JobSweeper}: claims due work (the periodic sweep, "process soon", a new job) and hands it to threads;</li>
 *   <li>{@link JobDriver}: works on one claimed job step by step and decides which step comes next;</li>
 *   <li>{@link TenantStatusStep}: applies the tenant status that goes with the job, until the directory accepts it
 *       (counting refusals in {@link DirectoryRefusals}, keeping the order of the tenant's jobs with
 *       {@link TenantStatusOrder});</li>
 *   <li>{@link LaunchStep}: the launch protocol of a queued job (the cap on runs in flight, "launch pending"
 *       <em>before</em> the runner is called, looking for an earlier attempt's run, launching, attaching, refusing,
 *       retrying with back-off);</li>
 *   <li>{@link StopStep}: cancelling a queued job, a passed deadline, sending a run's cancel, ending an unconfirmed
 *       stop after the cancel grace;</li>
 *   <li>{@link RunPoller}: polls runs in flight (routine polls in one batch per sweep) and backs off when polls fail;</li>
 *   <li>{@link RunEndStep}: applies a run's end (succeeded, failed, error, lost, cancelled) to its job;</li>
 *   <li>{@link StrayRunWatch}: finds and cancels runs that a lost launch answer started late;</li>
 *   <li>{@link RunStartWatch}: records a run's start (the job timeout counts from it) and stops a run that stays
 *       pending past the pending timeout;</li>
 *   <li>{@link JobLeases}, {@link LaunchSpecs}, {@link JobMessages}: this node's leases, what the runner is given, and
 *       the texts written into jobs;</li>
 *   <li>{@link LeaseHeartbeat}: renews the leases of the jobs this node works on, every quarter of a lease;</li>
 *   <li>{@link RepositoryAlignedClock}: the engine's clock, aligned to the repository's time when the engine starts
 *       and before every heartbeat, so that lease expiry and due times are decided on one clock;</li>
 *   <li>{@link BoundedRunner}: the runner as the parts call it, each call bounded by {@code runnerCallTimeout} and
 *       given up when the job's lease is lost, at most {@code runnerCallThreads} at once;</li>
 *   <li>{@link RepositoryOutage}: whether the repository can be reached; the sweep's back-off while it cannot;</li>
 *   <li>{@link RetentionPurge}: deletes finished jobs past the retention (a task of its own, when retention is
 *       on).</li>
 * </ul>
 *
 * <p>Thread-safe: sweeps and immediate processing run concurrently on the scheduler's threads. This class holds only
 * the running flag (volatile) and the handles of the sweep and the retention purge ({@code start}/{@code stop} are
 * synchronized); the parts are created once here and shared by all threads (each documents what it shares and what
 * it confines).
 */
public final class ProvisioningEngine {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);
    /** The retention purge's first run after start, unless its interval is shorter: not at once, not too late. */
    private static final Duration RETENTION_FIRST_RUN = Duration.ofMinutes(1);

    private final EngineContext ctx;
    private final JobWriter writer;
    private final String nodeId;
    private final JobSweeper sweeper;
    private final CallbackPolls callbackPolls;
    private final TenantStatusStep tenantStatus;
    private final LeaseHeartbeat heartbeat;
    private final RepositoryOutage outage;
    private final FreshLaunches fresh;
    private final LaunchStep launches;
    private volatile boolean running;
    private volatile Scheduler.@Nullable Cancellable sweepTask;
    private volatile Scheduler.@Nullable Cancellable heartbeatTask;
    /** Sweeps running now: one that began before {@link #stop()} may still claim jobs, which the heartbeat keeps. */
    private final AtomicInteger sweepsInProgress = new AtomicInteger();
    private final RetentionPurge retention;
    private volatile Scheduler.@Nullable Cancellable retentionTask;

    /** @param context what the engine works with */
    public ProvisioningEngine(EngineContext context) {
        this.outage = new RepositoryOutage(context);
        this.heartbeat = new LeaseHeartbeat(context, outage);
        EngineContext ctx = context.withRunner(
                new BoundedRunner(context.runner(), context.settings().runnerCallTimeout(),
                        context.settings().runnerCallThreads(), heartbeat, context.scheduler()));
        this.ctx = ctx;
        this.writer = new JobWriter(ctx);
        CallbackTokens tokens = ctx.tokens();
        TokenRedactor redactor = new TokenRedactor(tokens);
        this.nodeId = ctx.settings().nodeId();
        JobLeases leases = new JobLeases(ctx, writer, jobId -> processSoon(jobId));
        LaunchSpecs specs = new LaunchSpecs(ctx, tokens);
        StrayRunWatch strayRuns = new StrayRunWatch(ctx, specs, writer, leases);
        this.fresh = new FreshLaunches(nodeId);
        this.tenantStatus = new TenantStatusStep(ctx, writer, jobId -> processSoon(jobId), fresh);
        LaunchStep launches = new LaunchStep(ctx, writer, leases, specs, strayRuns, redactor, fresh);
        this.launches = launches;
        StopStep stops = new StopStep(ctx, writer, leases, specs, launches, redactor);
        RunEndStep runEnds = new RunEndStep(ctx, writer, tenantStatus, redactor);
        RunPoller runs = new RunPoller(ctx, leases, runEnds, new RunEndBatch(runEnds, tenantStatus, writer), strayRuns,
                new RunStartWatch(ctx, writer));
        JobDriver driver = new JobDriver(ctx, writer, leases, tenantStatus, launches, stops, runs, strayRuns, outage);
        this.sweeper = new JobSweeper(ctx, leases, heartbeat, tenantStatus, driver, runs, strayRuns,
                () -> running, outage, fresh);
        this.retention = new RetentionPurge(ctx, () -> running);
        this.callbackPolls = new CallbackPolls(ctx, sweeper::processNow);
    }

    /** @return the first launch attempts fenced by a request's insert (see {@link FreshLaunches}) */
    FreshLaunches freshLaunches() {
        return fresh;
    }

    /** @return whether a request's new job is inserted launch-pending (no cap on runs in flight counts it) */
    boolean insertsLaunchPending() {
        return launches.insertsLaunchPending();
    }

    JobWriter writer() {
        return writer;
    }

    RepositoryOutage outage() {
        return outage;
    }

    /**
     * @return when this node found the job repository unavailable, if it has not reached it since (the sweep backs
     *     off meanwhile)
     */
    public Optional<Instant> repositoryUnavailableSince() {
        return Optional.ofNullable(outage.since());
    }

    /**
     * Aligns the engine's clock to the repository's time (one statement; a failure leaves it unaligned until the next
     * heartbeat), then starts the lease heartbeat (which aligns the clock again before each beat), the periodic sweep,
     * and the retention purge when retention is on.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // before the first claim: the leases this node writes and honours are on the repository's time
        ctx.alignedClock().align();
        if (heartbeatTask == null) {
            heartbeatTask = ctx.scheduler().scheduleHeartbeat(this::beat, heartbeat.interval());
        }
        sweepTask = ctx.scheduler().scheduleWithFixedDelay(this::sweep, Duration.ZERO, ctx.settings().sweepInterval());
        // DEBUG: a host logs the effective configuration in one INFO line (the Spring adapter's ProvisioningLifecycle)
        log.debug("provisioning engine started on node {} (poll every {}, sweep every {}, job timeout {}, lease {} "
                + "renewed every {})", nodeId, ctx.settings().pollInterval(), ctx.settings().sweepInterval(),
                ctx.settings().jobTimeout(), ctx.settings().leaseDuration(), heartbeat.interval());
        RetentionSettings kept = ctx.settings().retention();
        if (kept.isOn()) {
            Duration firstRun = kept.interval().compareTo(RETENTION_FIRST_RUN) < 0 ? kept.interval()
                    : RETENTION_FIRST_RUN;
            retentionTask = ctx.scheduler().scheduleWithFixedDelay(retention::purge, firstRun, kept.interval());
            log.info("retention on: finished jobs are deleted {} after they ended (every {}, {} per batch)",
                    kept.finishedJobsKeptFor(), kept.interval(), kept.batchSize());
        }
    }

    /**
     * Stops the sweep, the retention purge and immediate processing; work in progress finishes its current step. The
     * heartbeat keeps renewing the leases of the jobs this node still works on, and stops at its first beat after the
     * last of them is let go (so that no other node takes over a job whose launch is still in flight here).
     */
    public synchronized void stop() {
        running = false;
        Scheduler.Cancellable task = sweepTask;
        if (task != null) {
            task.cancel();
            sweepTask = null;
        }
        stopHeartbeatIfIdle();
        Scheduler.Cancellable purge = retentionTask;
        if (purge != null) {
            purge.cancel();
            retentionTask = null;
        }
    }

    /**
     * One heartbeat: aligns the clock to the repository's and renews the held jobs' leases; after {@link #stop()},
     * ends the heartbeat once none is held.
     */
    private void beat() {
        ctx.alignedClock().align();
        heartbeat.beat();
        if (!running) {
            stopHeartbeatIfIdle();
        }
    }

    private synchronized void stopHeartbeatIfIdle() {
        Scheduler.Cancellable beat = heartbeatTask;
        if (!running && beat != null && sweepsInProgress.get() == 0 && heartbeat.holdsNothing()) {
            beat.cancel();
            heartbeatTask = null;
        }
    }

    /** @return whether the engine is started */
    public boolean isRunning() {
        return running;
    }

    /**
     * Processes a job soon on the scheduler, if it is due and not leased by anybody.
     *
     * @param jobId the job
     */
    public void processSoon(String jobId) {
        sweeper.processSoon(jobId);
    }

    /**
     * Polls a job's run soon after its callback, in one runner call with the other jobs called back meanwhile
     * ({@link CallbackPolls}); a job not taken then is due, and the next sweep takes it.
     *
     * @param jobId the job that called back
     */
    public void pollSoonAfterCallback(String jobId) {
        if (running) {
            callbackPolls.pollSoon(jobId);
        }
    }

    /**
     * Processes one job now, on this thread, if it is due and not leased.
     *
     * @param jobId the job
     * @return whether the job was claimed
     */
    public boolean processIfDue(String jobId) {
        return sweeper.processIfDue(jobId);
    }

    /**
     * Claims due jobs (in rounds of the claim batch size) and works on them: routine polls in one batch, all else
     * job by job. Called periodically; tests call it directly.
     *
     * @return how many jobs were claimed
     */
    public int sweep() {
        sweepsInProgress.incrementAndGet();
        try {
            return sweeper.sweep();
        } finally {
            sweepsInProgress.decrementAndGet();
        }
    }

    /**
     * @return this node's view of the jobs whose tenant status the tenant directory keeps refusing
     * @see com.dotmac.provisioning.TenantProvisioner#tenantDirectoryBacklog()
     */
    public TenantDirectoryBacklog tenantDirectoryBacklog() {
        return tenantStatus.backlog();
    }

    /**
     * Used right after a request: applies the "on request" status under the creator's lease, then processes the job
     * on the scheduler without releasing and claiming it again.
     *
     * @return the job as last written (its public fields; the release changes only bookkeeping)
     */
    ProvisioningJob settleNewJob(StoredJob created) {
        return sweeper.settleNewJob(created);
    }
}
