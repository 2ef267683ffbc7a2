package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows runs in flight: asks the runner for their status ({@code AutomationRunner.poll}) — all routine polls of
 * a sweep in one batch, or one run during a job's own step — hands ended runs to {@link RunEndStep} (the ended runs
 * of a batch together to {@link RunEndBatch}: one batch of tenant statuses, one batch write of jobs), and gives the
 * jobs of runs still running back with their next poll time (many with one write); a run seen running for the
 * first time, or pending past the pending timeout, goes to {@link RunStartWatch}. Failed polls back off
 * exponentially, never past a job's deadline or cancel grace. Every polled job is offered to
 * {@link StrayRunWatch}. Each runner call is one poll span of the {@link com.dotmac.provisioning.spi.JobTracer}.
 *
 * <p>The jobs of a batch are written independently: a job whose result cannot be written (the database refused
 * that one statement) is released to be looked at again soon, and the others of the batch are applied and released
 * all the same, so that one failed write never leaves the rest of a batch leased until their leases expire.
 *
 * <p>Thread-safe: batch polls of concurrent sweeps and single polls run at once. The only state of its own is each
 * job's count of failed polls in a row ({@link PollFailures}, for the back-off); each job it works on is claimed
 * by this node. Logs under {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class RunPoller {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobLeases leases;
    private final RunEndStep runEnds;
    private final StrayRunWatch strayRuns;
    private final RunStartWatch runStarts;
    private final RunEndBatch endBatch;
    private final PollFailures failures = new PollFailures();
    private final PollCadence cadence;

    RunPoller(EngineContext ctx, JobLeases leases, RunEndStep runEnds, RunEndBatch endBatch,
            StrayRunWatch strayRuns, RunStartWatch runStarts) {
        this.ctx = ctx;
        this.leases = leases;
        this.runEnds = runEnds;
        this.strayRuns = strayRuns;
        this.runStarts = runStarts;
        this.endBatch = endBatch;
        this.cadence = new PollCadence(ctx);
    }

    /**
     * Polls one job's run (its stop, if any, has been sent).
     *
     * @return the ended job when its tenant status is still to be applied, else null (released)
     */
    @Nullable StoredJob pollOne(StoredJob s, String runId, Instant now) {
        Map<String, RunStatus> result;
        TraceSpan span = ctx.tracer().poll(List.of(s.job()));
        try {
            result = ctx.runner().poll(List.of(runId));
        } catch (AutomationException e) {
            span.failed(e.errorCode());
            pollFailed(List.of(s), e);
            return null;
        } finally {
            span.close();
        }
        failures.succeeded(s.id());
        RunStatus status = result.get(runId);
        strayRuns.watch(s, now);
        if (status == null || !status.state().isFinal()) {
            StoredJob watched = status == null ? s : runStarts.notEnded(s, status.state(), now, this::nextPoll);
            if (watched == s) {
                leases.release(s, nextPoll(s, now));
                return null;
            }
            return watched;
        }
        return runEnds.apply(s, status, now);
    }

    /**
     * Polls the runs of many claimed jobs in one runner call. Each ended run is applied and its job handed to
     * {@code drive} at once (in the order of {@code jobs}); the jobs of runs still running are released afterwards,
     * one write per next-poll time. Each job's write stands alone: one that fails is logged and its job released to
     * be looked at again, and the other jobs go on.
     */
    void pollBatch(List<StoredJob> jobs, Consumer<StoredJob> drive) {
        Map<String, StoredJob> byRun = new LinkedHashMap<>();
        for (StoredJob s : jobs) {
            byRun.put(s.job().runId(), s);
        }
        Map<String, RunStatus> result;
        TraceSpan span = ctx.tracer().poll(jobs.stream().map(StoredJob::job).toList());
        try {
            result = ctx.runner().poll(byRun.keySet());
        } catch (AutomationException e) {
            span.failed(e.errorCode());
            pollFailed(jobs, e);
            return;
        } catch (RuntimeException e) {
            span.failed("RUNNER_ERROR");
            log.error("runner failed unexpectedly while polling {} runs", jobs.size(), e);
            pollFailed(jobs, AutomationException.transientFailure("RUNNER_ERROR", e.getClass().getSimpleName(), e));
            return;
        } finally {
            span.close();
        }
        Instant now = ctx.clock().instant();
        Map<Instant, List<StoredJob>> reschedule = new HashMap<>();
        List<RunEndBatch.Ended> ended = new ArrayList<>();
        for (Map.Entry<String, StoredJob> e : byRun.entrySet()) {
            StoredJob s = e.getValue();
            try {
                polled(s, result.get(e.getKey()), now, drive, reschedule, ended);
            } catch (RuntimeException failure) {
                writeFailed(s, now, failure);
            }
        }
        if (ended.size() == 1) {
            RunEndBatch.Ended one = ended.get(0);
            try {
                staleReloaded(one.job(), drive, () -> {
                    StoredJob after = runEnds.apply(one.job(), one.status(), now);
                    if (after != null) {
                        drive.accept(after);
                    }
                });
            } catch (RuntimeException failure) {
                writeFailed(one.job(), now, failure);
            }
        } else if (!ended.isEmpty()) {
            endBatch.apply(ended, now, drive, (s, failure) -> {
                try {
                    staleReloaded(s, drive, () -> {
                        throw failure;
                    });
                } catch (RuntimeException other) {
                    writeFailed(s, now, other);
                }
            });
        }
        reschedule.forEach(this::releaseAll);
    }

    /**
     * Applies one job's poll result: a run still going to {@code reschedule} (released later) or to
     * {@link RunStartWatch}, an ended one to {@code ended} (written with the others of the batch).
     */
    private void polled(StoredJob s, @Nullable RunStatus status, Instant now, Consumer<StoredJob> drive,
            Map<Instant, List<StoredJob>> reschedule, List<RunEndBatch.Ended> ended) {
        failures.succeeded(s.id());
        strayRuns.watch(s, now);
        if (status != null && status.state().isFinal()) {
            ended.add(new RunEndBatch.Ended(s, status));
            return;
        }
        staleReloaded(s, drive, () -> {
            StoredJob watched = status == null ? s : runStarts.notEnded(s, status.state(), now, this::nextPoll);
            if (watched == s) {
                reschedule.computeIfAbsent(nextPoll(s, now), k -> new ArrayList<>()).add(s);
            } else if (watched != null) {
                drive.accept(watched);
            }
        });
    }

    /** Runs a write of one job; when the job changed meanwhile, drives it as it is now if it is still ours. */
    private void staleReloaded(StoredJob s, Consumer<StoredJob> drive, Runnable write) {
        try {
            write.run();
        } catch (StaleJobException stale) {
            StoredJob fresh = leases.reloadIfOurs(s.id());
            if (fresh != null) {
                drive.accept(fresh);
            }
        }
    }

    /**
     * A job of a batch whose result could not be written: released to be polled again after the first back-off step
     * (sooner at its deadline or grace); when even that write fails, its lease runs out and any node takes it.
     */
    private void writeFailed(StoredJob s, Instant now, RuntimeException failure) {
        if (failure instanceof RepositoryUnavailableException) {
            // nothing can be written: the job waits for its lease to run out (the sweep reports the outage once)
            log.debug("job {}: could not record what its run's poll found: {}", s.id(), failure.getMessage());
            return;
        }
        Instant retryAt = min(nextPoll(s, now), now.plus(ctx.settings().retryInitialDelay()));
        log.error("job {}: could not record what its run's poll found ({}); the other jobs of the batch go on, "
                + "this one is polled again at {}", s.id(), failure.toString(), retryAt, failure);
        releaseQuietly(s, retryAt);
    }

    /**
     * Releases many jobs with one write; a job that somebody changed meanwhile (a cancel, a callback) is released
     * on its own, keeping the earlier next check, so that it never stays leased until the lease expires.
     */
    private void releaseAll(Instant nextCheckAt, List<StoredJob> jobs) {
        try {
            if (ctx.repository().reschedule(jobs, nextCheckAt) == jobs.size()) {
                return;
            }
        } catch (RepositoryUnavailableException e) {
            log.debug("could not release {} polled job(s): {}; they wait for their leases to run out", jobs.size(),
                    e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("could not release {} polled job(s) with one write ({}); releasing them one by one",
                    jobs.size(), e.toString());
        }
        for (StoredJob s : jobs) {
            releaseQuietly(s, nextCheckAt);
        }
    }

    /** Releases one job; a failed write is logged, and the job waits for its lease to run out. */
    private void releaseQuietly(StoredJob s, Instant nextCheckAt) {
        try {
            leases.release(s, nextCheckAt);
        } catch (RuntimeException e) {
            log.warn("job {}: could not release its lease ({}); any node takes it when the lease runs out at {}",
                    s.id(), e.toString(), s.leaseUntil());
        }
    }

    /**
     * Gives back jobs whose poll failed, each after its own back-off: the count of failed polls in a row is the
     * job's, so another job's failures or successes never lengthen or shorten it.
     */
    private void pollFailed(List<StoredJob> jobs, AutomationException e) {
        Instant now = ctx.clock().instant();
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        Instant earliest = null;
        for (StoredJob s : jobs) {
            int inARow = failures.failed(s.id(), now);
            fewest = Math.min(fewest, inARow);
            most = Math.max(most, inARow);
            Instant at = retryAt(s, now, inARow, e);
            earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
            releaseQuietly(s, at);
        }
        log.warn("could not poll {} run(s) ({} {}, failure {} in a row); next poll at {}", jobs.size(), e.errorCode(),
                e.getMessage(), fewest == most ? String.valueOf(most) : fewest + " to " + most,
                earliest == null ? "-" : earliest);
    }

    /** When to poll a job again after its {@code inARow}-th failed poll: back-off, Retry-After, deadline, grace. */
    private Instant retryAt(StoredJob s, Instant now, int inARow, AutomationException e) {
        Instant retryAt = now.plus(ctx.retryDelay(inARow));
        if (e.retryAfter() != null && now.plus(e.retryAfter()).isAfter(retryAt)) {
            retryAt = now.plus(e.retryAfter());
        }
        Instant at = s.job().deadline() != null ? min(retryAt, s.job().deadline()) : retryAt;
        if (s.stop() != null) {
            at = min(at, s.stop().at().plus(ctx.settings().cancelGrace()));
        }
        return at.isBefore(now) ? retryAt : at;
    }

    /**
     * The next look at a run: a poll interval on, sooner after a callback, never past the deadline, the pending
     * limit of a run not yet seen running, or the grace.
     */
    private Instant nextPoll(StoredJob s, Instant now) {
        Instant next = cadence.next(s, now); // a poll interval on, or the safety poll's with callbacks on
        Instant acknowledged = s.job().lastAcknowledgedAt();
        if (acknowledged != null && now.isBefore(acknowledged.plus(ctx.settings().pollInterval().multipliedBy(2)))) {
            // the playbook called back as its last task: the run ends within moments, so look again soon
            next = min(next, now.plus(ctx.settings().sweepInterval()));
        }
        Instant pendingLimit = runStarts.pendingLimit(s);
        if (pendingLimit != null && pendingLimit.isAfter(now)) {
            // a run still pending is stopped at its pending limit: look at it then
            next = min(next, pendingLimit);
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
