package com.dotmac.provisioning.internal.engine;

import static com.dotmac.provisioning.internal.engine.JobMessages.bounded;
import static com.dotmac.provisioning.internal.engine.JobMessages.cancelMessage;
import static com.dotmac.provisioning.internal.engine.JobMessages.detail;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.state.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final AtomicInteger consecutivePollFailures = new AtomicInteger();
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
            pollBatch(routinePolls);
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
        Map<String, RunStatus> result;
        try {
            result = ctx.runner().poll(List.of(runId));
        } catch (AutomationException e) {
            pollFailed(List.of(s), e);
            return null;
        }
        RunStatus status = result.get(runId);
        strayRuns.watch(s, now);
        if (status == null) {
            leases.release(s, nextPoll(s, now));
            return null;
        }
        return applyRunStatus(s, status, now);
    }

    private void pollBatch(List<StoredJob> jobs) {
        Map<String, StoredJob> byRun = new LinkedHashMap<>();
        for (StoredJob s : jobs) {
            byRun.put(s.job().runId(), s);
        }
        Map<String, RunStatus> result;
        try {
            result = ctx.runner().poll(byRun.keySet());
            consecutivePollFailures.set(0);
        } catch (AutomationException e) {
            pollFailed(jobs, e);
            return;
        } catch (RuntimeException e) {
            log.error("runner failed unexpectedly while polling {} runs", jobs.size(), e);
            pollFailed(jobs, AutomationException.transientFailure("RUNNER_ERROR", e.getClass().getSimpleName(), e));
            return;
        }
        Instant now = ctx.clock().instant();
        Map<Instant, List<StoredJob>> reschedule = new HashMap<>();
        for (Map.Entry<String, StoredJob> e : byRun.entrySet()) {
            StoredJob s = e.getValue();
            RunStatus status = result.get(e.getKey());
            strayRuns.watch(s, now);
            if (status == null || !status.state().isFinal()) {
                reschedule.computeIfAbsent(nextPoll(s, now), k -> new ArrayList<>()).add(s);
            } else {
                try {
                    StoredJob ended = applyRunStatus(s, status, now);
                    if (ended != null) {
                        drive(ended);
                    }
                } catch (StaleJobException stale) {
                    StoredJob fresh = leases.reloadIfOurs(s.id());
                    if (fresh != null) {
                        drive(fresh);
                    }
                }
            }
        }
        reschedule.forEach(this::releaseAll);
    }

    /**
     * Releases many jobs with one write; a job that somebody changed meanwhile (a cancel, a callback) is released
     * on its own, keeping the earlier next check, so that it never stays leased until the lease expires.
     */
    private void releaseAll(Instant nextCheckAt, List<StoredJob> jobs) {
        if (ctx.repository().reschedule(jobs, nextCheckAt) == jobs.size()) {
            return;
        }
        for (StoredJob s : jobs) {
            leases.release(s, nextCheckAt);
        }
    }

    private void pollFailed(List<StoredJob> jobs, AutomationException e) {
        int failures = consecutivePollFailures.incrementAndGet();
        Instant now = ctx.clock().instant();
        Instant retryAt = now.plus(ctx.backoff().delay(failures));
        if (e.retryAfter() != null && now.plus(e.retryAfter()).isAfter(retryAt)) {
            retryAt = now.plus(e.retryAfter());
        }
        log.warn("could not poll {} run(s) ({} {}, failure {} in a row); next poll at {}", jobs.size(), e.errorCode(),
                e.getMessage(), failures, retryAt);
        for (StoredJob s : jobs) {
            Instant at = s.job().deadline() != null ? min(retryAt, s.job().deadline()) : retryAt;
            if (s.stop() != null) {
                at = min(at, s.stop().at().plus(ctx.settings().cancelGrace()));
            }
            if (at.isBefore(now)) {
                at = retryAt;
            }
            leases.release(s, at);
        }
    }

    /** Records what the runner reported; returns the ended job (to apply its tenant status) or null. */
    private @Nullable StoredJob applyRunStatus(StoredJob s, RunStatus reported, Instant now) {
        RunStatus status = new RunStatus(reported.state(),
                reported.detail() == null ? null : redactor.text(s.id(), reported.detail()),
                redactor.map(s.id(), reported.artifacts()));
        String runId = String.valueOf(s.job().runId());
        Map<String, Object> data = Map.of("run_id", runId, "run_state", status.state().name().toLowerCase(Locale.ROOT));
        JobChange change = JobChange.of(s, now);
        switch (status.state()) {
            case PENDING, RUNNING -> {
                leases.release(s, nextPoll(s, now));
                return null;
            }
            case SUCCEEDED -> {
                Map<String, Object> artifacts = new LinkedHashMap<>(s.job().artifacts());
                artifacts.putAll(status.artifacts());
                change.job(b -> b.artifacts(artifacts).errorCode(null).errorMessage(null))
                        .transition(Transition.RUN_SUCCEEDED, "run " + runId + " succeeded", data);
            }
            case FAILED -> change.end(Transition.RUN_FAILED, ErrorCodes.RUN_FAILED,
                    detail(status, "run " + runId + " failed"), data);
            case ERROR -> change.end(Transition.RUN_FAILED, ErrorCodes.RUN_ERROR,
                    detail(status, "run " + runId + " ended in an error of the automation service"), data);
            case LOST -> change.end(Transition.RUN_FAILED, ErrorCodes.RUN_LOST,
                    "run " + runId + " no longer exists in the automation service"
                            + (status.detail() == null ? "" : ": " + bounded(status.detail())), data);
            case CANCELED -> {
                StopRequest stop = s.stop();
                if (stop == null) {
                    change.end(Transition.CANCEL_CONFIRMED, ErrorCodes.RUN_CANCELLED_EXTERNALLY,
                            "run " + runId + " was cancelled outside the platform", data);
                } else if (stop.reason() == StopReason.TIMEOUT) {
                    change.end(Transition.DEADLINE_PASSED, ErrorCodes.TIMED_OUT, "timed out after "
                            + ctx.settings().jobTimeout() + "; run " + runId + " was cancelled", data);
                } else {
                    change.end(Transition.CANCEL_CONFIRMED, ErrorCodes.CANCELLED, cancelMessage(stop), data);
                }
            }
        }
        boolean settled = change.status().isTerminal() && tenantStatus.applyWithEnding(s, change);
        StoredJob saved = writer.commit(change);
        log.info("job {} ({} of tenant {}): {} → {}{}", s.id(), s.job().operation().wireName(), s.job().tenantId(),
                s.job().status().wireName(), saved.job().status().wireName(),
                saved.job().errorMessage() == null ? "" : ": " + saved.job().errorMessage());
        return settled ? null : saved;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private Instant nextPoll(StoredJob s, Instant now) {
        Instant next = now.plus(ctx.settings().pollInterval());
        Instant acknowledged = s.job().lastAcknowledgedAt();
        if (acknowledged != null && now.isBefore(acknowledged.plus(ctx.settings().pollInterval().multipliedBy(2)))) {
            // the playbook called back as its last task: the run ends within moments, so look again soon
            next = min(next, now.plus(ctx.settings().sweepInterval()));
        }
        if (s.stop() == null && s.job().deadline() != null) {
            next = min(next, s.job().deadline());
        } else if (s.stop() != null) {
            next = min(next, s.stop().at().plus(ctx.settings().cancelGrace()));
        }
        return next.isBefore(now) ? now : next;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
