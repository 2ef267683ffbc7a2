package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives jobs to a terminal state (DESIGN "Engine semantics"). Each unit of work runs under a lease claimed from
 * the repository; every write is version-checked, and a lost check makes the engine re-read the job and decide
 * again. Thread-safe: sweeps and immediate processing run concurrently on the scheduler's threads.
 *
 * <ul>
 *   <li>queued: apply the tenant status; respect the cap on runs in flight; record "launch pending" (with the
 *       attempt count) <em>before</em> calling the runner; after a crash or a lost answer, look for the run with
 *       {@code findLaunched} before launching again; transient failures back off, permanent ones fail the job;</li>
 *   <li>in progress: all due runs are polled in one batch per sweep; a passed deadline or a cancel request stops
 *       the run, and an unconfirmed stop ends the job after the cancel grace;</li>
 *   <li>terminal: the tenant status is applied until the directory accepts it.</li>
 * </ul>
 */
public final class ProvisioningEngine {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);
    private static final int MAX_STEPS = 12;
    private static final int MAX_SWEEP_ROUNDS = 50;

    private final EngineContext ctx;
    private final JobWriter writer;
    private final TokenRedactor redactor;
    private final String nodeId;
    private final JobLeases leases;
    private final LaunchSpecs specs;
    private final StrayRunWatch strayRuns;
    private final TenantStatusStep tenantStatus;
    private final LaunchStep launches;
    private final StopStep stops;
    private final RunPoller runs;
    private volatile boolean running;
    private volatile Scheduler.@Nullable Cancellable sweepTask;

    /** @param ctx what the engine works with */
    public ProvisioningEngine(EngineContext ctx) {
        this.ctx = ctx;
        this.writer = new JobWriter(ctx);
        CallbackTokens tokens = ctx.tokens();
        this.redactor = new TokenRedactor(tokens);
        this.nodeId = ctx.settings().nodeId();
        this.leases = new JobLeases(ctx, writer, jobId -> processSoon(jobId));
        this.specs = new LaunchSpecs(ctx, tokens);
        this.strayRuns = new StrayRunWatch(ctx, specs);
        this.tenantStatus = new TenantStatusStep(ctx, writer);
        this.launches = new LaunchStep(ctx, writer, leases, specs, strayRuns, redactor);
        this.stops = new StopStep(ctx, writer, leases, specs, launches);
        this.runs = new RunPoller(ctx, leases, new RunEndStep(ctx, writer, tenantStatus, redactor), strayRuns);
    }

    JobWriter writer() {
        return writer;
    }

    /** Starts the periodic sweep. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        sweepTask = ctx.scheduler().scheduleWithFixedDelay(this::sweep, Duration.ZERO, ctx.settings().sweepInterval());
        log.info("provisioning engine started on node {} (poll every {}, sweep every {}, job timeout {})", nodeId,
                ctx.settings().pollInterval(), ctx.settings().sweepInterval(), ctx.settings().jobTimeout());
    }

    /** Stops the sweep and immediate processing; work in progress finishes its current step. */
    public synchronized void stop() {
        running = false;
        Scheduler.Cancellable task = sweepTask;
        if (task != null) {
            task.cancel();
            sweepTask = null;
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
        if (!running) {
            return;
        }
        try {
            ctx.scheduler().execute(() -> processIfDue(jobId));
        } catch (RejectedExecutionException e) {
            log.debug("job {}: scheduler is closed; the sweep picks it up", jobId);
        }
    }

    /**
     * Processes one job now, on this thread, if it is due and not leased.
     *
     * @param jobId the job
     * @return whether the job was claimed
     */
    public boolean processIfDue(String jobId) {
        Instant now = ctx.clock().instant();
        Optional<StoredJob> claimed = ctx.repository().claim(jobId, nodeId, now, leases.leaseUntil(now));
        claimed.ifPresent(this::drive);
        return claimed.isPresent();
    }

    /**
     * Claims due jobs (in rounds of the claim batch size) and works on them: routine polls in one batch, all else
     * job by job. Called periodically; tests call it directly.
     *
     * @return how many jobs were claimed
     */
    public int sweep() {
        int total = 0;
        try {
            strayRuns.lookForStrays(ctx.clock().instant());
            for (int round = 0; round < MAX_SWEEP_ROUNDS; round++) {
                Instant now = ctx.clock().instant();
                List<StoredJob> claimed = ctx.repository().claimDue(nodeId, now, leases.leaseUntil(now),
                        ctx.settings().claimBatchSize());
                total += claimed.size();
                handle(claimed, now);
                if (claimed.size() < ctx.settings().claimBatchSize()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.error("provisioning sweep failed; it runs again in {}", ctx.settings().sweepInterval(), e);
        }
        return total;
    }

    private void handle(List<StoredJob> claimed, Instant now) {
        List<StoredJob> routinePolls = new ArrayList<>();
        for (StoredJob s : claimed) {
            if (isRoutinePoll(s, now)) {
                routinePolls.add(s);
            } else {
                dispatch(s);
            }
        }
        if (!routinePolls.isEmpty()) {
            runs.pollBatch(routinePolls, this::drive);
        }
    }

    private void dispatch(StoredJob s) {
        try {
            ctx.scheduler().execute(() -> drive(s));
        } catch (RejectedExecutionException e) {
            drive(s);
        }
    }

    private boolean isRoutinePoll(StoredJob s, Instant now) {
        ProvisioningJob job = s.job();
        if (job.status() != JobStatus.IN_PROGRESS || !s.tenantStatusApplied() || job.runId() == null) {
            return false;
        }
        if (s.stop() == null) {
            return job.deadline() == null || now.isBefore(job.deadline());
        }
        return s.stopSentAt() != null && now.isBefore(s.stop().at().plus(ctx.settings().cancelGrace()));
    }

    /** Works on one claimed job until it needs nothing more now, re-reading it when a write loses the race. */
    void drive(StoredJob claimed) {
        StoredJob s = claimed;
        for (int step = 0; step < MAX_STEPS && s != null; step++) {
            try {
                s = step(s);
            } catch (StaleJobException stale) {
                s = leases.reloadIfOurs(s.id());
            } catch (RuntimeException e) {
                log.error("job {}: unexpected failure while processing; retrying in {}", s.id(),
                        ctx.settings().retryInitialDelay(), e);
                writer.release(s, ctx.clock().instant().plus(ctx.settings().retryInitialDelay()), nodeId);
                return;
            }
        }
        if (s != null) {
            leases.release(s, ctx.clock().instant());
        }
    }

    /** One decision about a job; returns the job to continue with, or null when it was released. */
    private @Nullable StoredJob step(StoredJob s) {
        Instant now = ctx.clock().instant();
        if (!s.tenantStatusApplied()) {
            return tenantStatus.apply(s, now);
        }
        return switch (s.job().status()) {
            case QUEUED -> s.stop() != null ? stops.cancelQueued(s, now) : launches.step(s, now);
            case IN_PROGRESS -> stepInProgress(s, now);
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> {
                leases.release(s, null);
                yield null;
            }
        };
    }

    /**
     * Used right after a request: applies the "on request" status under the creator's lease, then releases.
     *
     * @return the job as last written (its public fields; the release changes only bookkeeping)
     */
    ProvisioningJob settleNewJob(StoredJob created) {
        StoredJob s = created;
        for (int attempt = 0; attempt < 5 && s != null; attempt++) {
            try {
                Instant now = ctx.clock().instant();
                StoredJob after = s.tenantStatusApplied() || s.job().status().isTerminal() ? s : tenantStatus.apply(s, now);
                if (after != null) {
                    handOver(after, now);
                    return after.job();
                }
                return s.job();
            } catch (StaleJobException stale) {
                s = leases.reloadIfOurs(s.id());
            }
        }
        return ctx.repository().find(created.id()).map(StoredJob::job).orElse(created.job());
    }

    /** Processes a job this node holds the lease of on the scheduler, without releasing and claiming it again. */
    private void handOver(StoredJob leased, Instant now) {
        if (running) {
            try {
                ctx.scheduler().execute(() -> drive(leased));
                return;
            } catch (RejectedExecutionException e) {
                log.debug("job {}: scheduler is closed; the sweep picks it up", leased.id());
            }
        }
        leases.release(leased, now);
    }

    // ---- in progress -----------------------------------------------------------------------------------------------

    private @Nullable StoredJob stepInProgress(StoredJob claimed, Instant now) {
        String runId = claimed.job().runId();
        if (runId == null) {
            throw new IllegalStateException("job " + claimed.id() + " is in progress without a run id");
        }
        StoredJob s = stops.stopIfDeadlinePassed(claimed, runId, now);
        StopRequest stop = s.stop();
        if (stop != null && stops.graceOver(stop, now)) {
            return stops.endUnconfirmed(s, stop, now);
        }
        if (stop != null && s.stopSentAt() == null) {
            s = stops.sendCancel(s, runId, stop, now);
            if (s == null) {
                return null;
            }
        }
        return runs.pollOne(s, runId, now);
    }
}
