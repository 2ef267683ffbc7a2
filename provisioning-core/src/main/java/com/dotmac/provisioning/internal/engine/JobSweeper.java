package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up work and hands it to threads: the periodic sweep claims due jobs with a lease ({@code claimDue}, in rounds
 * of the claim batch size), sends routine polls to {@link RunPoller} in one batch and every other job to the
 * scheduler to be driven ({@link JobDriver}); {@link #processSoon} claims one job on the scheduler; a new job gets
 * its tenant status under the creator's lease and is handed over without being released and claimed again. Each
 * sweep first lets {@link StrayRunWatch} look for late runs. Every claimed job is held by the {@link LeaseHeartbeat}
 * until the thread that works on it is done. While the repository is unavailable the sweep backs off
 * ({@link RepositoryOutage}): it leaves the repository alone until the next attempt is due, and logs nothing per
 * sweep.
 *
 * <p>Thread-safe: no state of its own. Sweeps, "process soon" tasks and requests run at once on different threads;
 * the repository's leases make sure one job is worked on by one thread of one node at a time. Whether the engine
 * is running is read from the engine (a volatile flag). Logs under {@link ProvisioningEngine}'s logger, like every
 * part of the engine.
 */
final class JobSweeper {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);
    private static final int MAX_SWEEP_ROUNDS = 50;

    private final EngineContext ctx;
    private final JobLeases leases;
    private final LeaseHeartbeat heartbeat;
    private final TenantStatusStep tenantStatus;
    private final JobDriver driver;
    private final RunPoller runs;
    private final StrayRunWatch strayRuns;
    private final BooleanSupplier running;
    private final RepositoryOutage outage;
    private final FreshLaunches fresh;

    JobSweeper(EngineContext ctx, JobLeases leases, LeaseHeartbeat heartbeat, TenantStatusStep tenantStatus,
            JobDriver driver, RunPoller runs, StrayRunWatch strayRuns, BooleanSupplier running,
            RepositoryOutage outage, FreshLaunches fresh) {
        this.fresh = fresh;
        this.ctx = ctx;
        this.leases = leases;
        this.heartbeat = heartbeat;
        this.tenantStatus = tenantStatus;
        this.driver = driver;
        this.runs = runs;
        this.strayRuns = strayRuns;
        this.running = running;
        this.outage = outage;
    }

    /** @see ProvisioningEngine#sweep() */
    int sweep() {
        if (outage.backingOff()) {
            return 0;
        }
        int total = 0;
        try {
            strayRuns.lookForStrays(ctx.clock().instant());
            for (int round = 0; round < MAX_SWEEP_ROUNDS; round++) {
                Instant now = ctx.clock().instant();
                List<StoredJob> claimed = ctx.repository().claimDue(leases.nodeId(), now, leases.leaseUntil(now),
                        ctx.settings().claimBatchSize());
                outage.reached(now);
                total += claimed.size();
                handle(claimed, now);
                if (claimed.size() < ctx.settings().claimBatchSize()) {
                    break;
                }
            }
        } catch (RepositoryUnavailableException e) {
            outage.sweepFailed(e);
        } catch (RuntimeException e) {
            log.error("provisioning sweep failed; it runs again in {}", ctx.settings().sweepInterval(), e);
        }
        return total;
    }

    private void handle(List<StoredJob> claimed, Instant now) {
        List<StoredJob> routinePolls = new ArrayList<>();
        List<LeaseHeartbeat.Hold> polled = new ArrayList<>();
        for (StoredJob s : claimed) {
            LeaseHeartbeat.Hold hold = heartbeat.hold(s);
            if (isRoutinePoll(s, now)) {
                routinePolls.add(s);
                polled.add(hold);
            } else {
                dispatch(s, hold);
            }
        }
        if (!routinePolls.isEmpty()) {
            try {
                runs.pollBatch(routinePolls, driver::drive);
            } finally {
                polled.forEach(LeaseHeartbeat.Hold::drop);
            }
        }
    }

    private void dispatch(StoredJob s, LeaseHeartbeat.Hold hold) {
        Runnable work = () -> drive(s, null, hold);
        try {
            ctx.scheduler().execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    /** Drives a held job, and stops holding it when done (also when the drive throws). */
    private void drive(StoredJob s, @Nullable AppliedStatus applied, LeaseHeartbeat.Hold hold) {
        try {
            driver.drive(s, applied);
        } finally {
            fresh.forget(s.id());
            hold.drop();
        }
    }

    /** A job whose only need is a look at its run: no tenant status to apply, no deadline passed, no stop to send. */
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

    /** @see ProvisioningEngine#processSoon(String) */
    void processSoon(String jobId) {
        if (!running.getAsBoolean()) {
            return;
        }
        try {
            ctx.scheduler().execute(() -> processIfDue(jobId));
        } catch (RejectedExecutionException e) {
            log.debug("job {}: scheduler is closed; the sweep picks it up", jobId);
        }
    }

    /**
     * Claims those of the jobs that are due and handles them as a sweep round does: the routine polls in one runner
     * call, the others driven on the scheduler. A job not claimed (not due, leased elsewhere, the repository
     * unavailable) is left to the next sweep; when a claim fails, the jobs claimed before it are still handled, so
     * that none stays leased until its lease runs out.
     */
    void processNow(List<String> jobIds) {
        if (!running.getAsBoolean() || outage.backingOff()) {
            return;
        }
        Instant now = ctx.clock().instant();
        List<StoredJob> claimed = new ArrayList<>();
        try {
            for (String jobId : jobIds) {
                ctx.repository().claim(jobId, leases.nodeId(), now, leases.leaseUntil(now)).ifPresent(claimed::add);
            }
        } catch (RuntimeException e) {
            log.debug("could not claim {} of {} job(s) called back ({}); the next sweep takes them",
                    jobIds.size() - claimed.size(), jobIds.size(), e.toString());
        }
        try {
            handle(claimed, now);
        } catch (RuntimeException e) {
            log.debug("could not process {} job(s) at once ({}); they are taken up again when their leases run out",
                    claimed.size(), e.toString());
        }
    }

    /** @see ProvisioningEngine#processIfDue(String) */
    boolean processIfDue(String jobId) {
        Instant now = ctx.clock().instant();
        Optional<StoredJob> claimed = ctx.repository().claim(jobId, leases.nodeId(), now, leases.leaseUntil(now));
        claimed.ifPresent(s -> drive(s, null, heartbeat.hold(s)));
        return claimed.isPresent();
    }

    /**
     * Used right after a request: applies the "on request" status in the tenant directory under the creator's lease,
     * then hands the job over with that status still to be recorded: the launch's "launch pending" write records it
     * (one job write fewer per request). When the node dies before that write, the job's lease runs out and the node
     * that takes it over applies the (idempotent) status again and records it.
     *
     * @return the job as last written (its public fields)
     */
    ProvisioningJob settleNewJob(StoredJob created) {
        LeaseHeartbeat.Hold hold = heartbeat.hold(created);
        boolean handedOver = false;
        try {
            StoredJob s = created;
            for (int attempt = 0; attempt < 5 && s != null; attempt++) {
                try {
                    Instant now = ctx.clock().instant();
                    AppliedStatus applied = null;
                    if (!s.tenantStatusApplied() && !s.job().status().isTerminal()) {
                        applied = tenantStatus.applyBeforeLaunch(s, now);
                        if (applied == null) {
                            return s.job(); // refused: released to be tried again later
                        }
                    }
                    handedOver = handOver(s, applied, hold, now);
                    return s.job();
                } catch (StaleJobException stale) {
                    s = leases.reloadIfOurs(s.id());
                }
            }
            return ctx.repository().find(created.id()).map(StoredJob::job).orElse(created.job());
        } finally {
            if (!handedOver) {
                fresh.forget(created.id());
                hold.drop();
            }
        }
    }

    /**
     * Processes a job this node holds the lease of on the scheduler, without releasing and claiming it again.
     *
     * @return whether a scheduler thread took it (and with it the hold); else the job was released
     */
    private boolean handOver(StoredJob leased, @Nullable AppliedStatus applied, LeaseHeartbeat.Hold hold,
            Instant now) {
        if (running.getAsBoolean()) {
            try {
                ctx.scheduler().execute(() -> drive(leased, applied, hold));
                return true;
            } catch (RejectedExecutionException e) {
                log.debug("job {}: scheduler is closed; the sweep picks it up", leased.id());
            }
        }
        if (fresh.take(leased)) {
            // the insert fenced a launch that this node does not make now: no runner was called
            tenantStatus.releaseUnlaunched(leased, applied, now);
        } else if (applied == null) {
            leases.release(leased, now);
        } else {
            // the release records the applied status (one write, as the release alone would be)
            tenantStatus.recordWithRelease(leased, applied, now, now);
        }
        return false;
    }
}
