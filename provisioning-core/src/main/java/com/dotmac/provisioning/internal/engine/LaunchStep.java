package com.dotmac.provisioning.internal.engine;

import static com.dotmac.provisioning.internal.engine.JobMessages.bounded;
import static com.dotmac.provisioning.internal.engine.JobMessages.lastError;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TraceSpan;
import com.dotmac.provisioning.state.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launch protocol of a queued job: give up after {@code maxLaunchAttempts}, but only after looking for the run the
 * last attempt may have started (following it when found; {@link LaunchEnds} says how a job ends without a run);
 * respect the cap on runs in flight;
 * record "launch pending" (with the attempt count, renewing the lease) <em>before</em> calling the runner; after a
 * crash or a lost answer, look for an earlier attempt's run ({@code findRuns}) and attach to it instead of launching
 * again; launch with the credential the policy resolves; record the run ({@link #attach}); refuse the job on a
 * permanent failure and retry with back-off on a transient one. After a launch call that failed transiently and
 * {@linkplain com.dotmac.provisioning.spi.AutomationException#mayHaveTakenEffect() may have taken effect} (its answer
 * may be lost while the service still processes it), the next attempt comes no earlier than the runner's
 * {@link com.dotmac.provisioning.spi.AutomationRunner#launchSettleTime() launch settle time} after that call ended,
 * so that its search sees a run the service starts late instead of launching a second one.
 *
 * <p>The cap on runs in flight holds across nodes: counting the runs in flight and recording "launch pending" are one
 * atomic step in the repository ({@link com.dotmac.provisioning.spi.JobRepository#commitIfRunsInFlightBelow}).
 *
 * <p>Thread-safe: many jobs launch at once on the scheduler's threads, each step on one claimed job; it keeps no
 * state of its own between steps. Logs under
 * {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class LaunchStep {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;
    private final JobLeases leases;
    private final LaunchSpecs specs;
    private final StrayRunWatch strayRuns;
    private final TokenRedactor redactor;
    private final LaunchEnds ends;
    private final FreshLaunches fresh;

    LaunchStep(EngineContext ctx, JobWriter writer, JobLeases leases, LaunchSpecs specs, StrayRunWatch strayRuns,
            TokenRedactor redactor, FreshLaunches fresh) {
        this.ctx = ctx;
        this.writer = writer;
        this.leases = leases;
        this.specs = specs;
        this.strayRuns = strayRuns;
        this.redactor = redactor;
        this.ends = new LaunchEnds(ctx, writer, redactor);
        this.fresh = fresh;
    }

    /**
     * @return whether the next step of this job is a launch attempt whose first write is "launch pending" (or, when
     *     the cap holds it back, its release), which can then record the job's tenant status too
     */
    boolean launchesNext(StoredJob s) {
        return s.job().status() == JobStatus.QUEUED && s.stop() == null
                && s.job().retryCount() < ctx.settings().maxLaunchAttempts();
    }

    /**
     * One launch attempt of a queued job that nobody asked to stop.
     *
     * @param applied a tenant status the directory accepted and the job has not recorded yet: the attempt's first
     *     write records it (only when {@link #launchesNext}); null for none
     * @return the job to continue with, or null when it was released
     */
    @Nullable StoredJob step(StoredJob s, Instant now, @Nullable AppliedStatus applied) {
        if (s.job().retryCount() >= ctx.settings().maxLaunchAttempts()) {
            if (applied != null) {
                throw new IllegalStateException("job " + s.id() + " has no launch attempt left to record its status");
            }
            return lastLook(s, now);
        }
        if (fresh.take(s)) {
            // the request's insert fenced this first attempt (launch_pending_since) and this node has held the job
            // since: no runner was called for it, and the attempt's first write after the call records it
            FreshLaunches.Unrecorded first = FreshLaunches.begin(s, applied, ctx.settings().maxLaunchAttempts(), now);
            return launch(first.pending(), first);
        }
        StoredJob pending;
        if (s.launchPendingSince() != null) {
            // an earlier attempt may have started a run: this attempt (it counts as one) looks for it first; the job
            // is already counted among the runs in flight, so the cap does not hold it back
            pending = markLaunchPending(s, now, applied);
            List<LaunchedRun> earlier;
            try {
                earlier = ctx.runner().findRuns(specs.toFind(pending, Objects.requireNonNull(
                        pending.launchPendingSince(), "markLaunchPending sets launchPendingSince")));
            } catch (AutomationException e) {
                if (!e.isTransient()) {
                    return ends.unlooked(pending, now, e.errorCode(), "could not look for a run an earlier launch "
                            + "attempt may have started", e);
                }
                return launchAttemptFailed(pending, now, e, "could not check for a run started by an earlier attempt",
                        Attempt.LOOKED, null);
            }
            if (!earlier.isEmpty()) {
                return attach(pending, earlier.get(0), true, earlier.subList(1, earlier.size()));
            }
            // the search may have taken a while (many pages): the launch gets a whole lease of its own
            pending = leases.renew(pending);
        } else {
            int cap = capacity();
            if (cap > 0) {
                // counting and recording "launch pending" are one step in the repository, across every node
                Optional<StoredJob> placed = writer.commitIfRunsInFlightBelow(launchPending(s, now, applied), cap);
                if (placed.isEmpty()) {
                    log.debug("job {}: {} or more runs in flight; waiting", s.id(), cap);
                    Instant later = now.plus(ctx.settings().pollInterval());
                    if (applied == null) {
                        leases.release(s, later);
                    } else {
                        // the release records the tenant status (one write, as the release alone would be)
                        writer.commit(applied.recordIn(JobChange.of(s, now))
                                .stored(x -> x.withLease(null, null).withNextCheckAt(later)));
                    }
                    return null;
                }
                pending = placed.get();
            } else {
                pending = markLaunchPending(s, now, applied);
            }
        }
        return launch(pending, null);
    }

    /** @return whether a request's new job may be inserted launch-pending: no cap on runs in flight to count it */
    boolean insertsLaunchPending() {
        return capacity() == 0;
    }

    /** The engine's cap or the runner's, whichever is set and smaller; 0 for none. */
    private int capacity() {
        int engineCap = ctx.settings().maxConcurrentRuns();
        int runnerCap = ctx.runner().maxConcurrentRuns();
        if (engineCap <= 0) {
            return Math.max(runnerCap, 0);
        }
        return runnerCap <= 0 ? engineCap : Math.min(engineCap, runnerCap);
    }

    /**
     * Records the attempt before the runner is called, and renews the lease: a job claimed in a batch may have waited
     * for the jobs before it, and the lease must cover the whole runner call that follows (the version check of this
     * commit also proves that nobody claimed the job after this node's lease ran out).
     */
    private StoredJob markLaunchPending(StoredJob s, Instant now, @Nullable AppliedStatus applied) {
        return writer.commit(launchPending(s, now, applied));
    }

    /** The change {@link #markLaunchPending} writes, recording the tenant status applied before it, if any. */
    private JobChange launchPending(StoredJob s, Instant now, @Nullable AppliedStatus applied) {
        int attempt = s.job().retryCount() + 1;
        Instant since = s.launchPendingSince() != null ? s.launchPendingSince() : now;
        JobChange change = JobChange.of(s, now);
        if (applied != null) {
            applied.recordIn(change);
        }
        return change
                .event(JobEventType.LAUNCH_PENDING, "launch attempt " + attempt + " of "
                        + ctx.settings().maxLaunchAttempts(), Map.of("attempt", (long) attempt))
                .job(b -> b.retryCount(attempt))
                .stored(x -> x.withLaunchPendingSince(since).withLease(leases.nodeId(), leases.leaseUntil(now)));
    }

    /** @param unrecorded what a reserved attempt has not written yet (its next write records it), or null */
    private @Nullable StoredJob launch(StoredJob s, FreshLaunches.@Nullable Unrecorded unrecorded) {
        String credential;
        try {
            credential = ctx.guard().runnerCredential(s.job()).orElse(null);
        } catch (RequestGuard.CredentialNotAllowed e) {
            return ends.refused(s, ctx.clock().instant(),
                    AutomationException.permanent(ErrorCodes.CREDENTIAL_NOT_ALLOWED,
                            Objects.requireNonNull(e.getMessage(), "CredentialNotAllowed has a message")),
                    unrecorded);
        } catch (RuntimeException e) {
            log.warn("job {}: the credential policy failed; the launch is retried", s.id(), e);
            return launchAttemptFailed(s, ctx.clock().instant(), AutomationException.transientFailure(
                    ErrorCodes.CREDENTIAL_POLICY_UNAVAILABLE, "the credential policy could not be read: "
                            + e.getClass().getSimpleName(), e), "launch failed", Attempt.NOTHING_STARTED, unrecorded);
        }
        LaunchedRun run;
        TraceSpan span = ctx.tracer().launch(s.job());
        try {
            Instant since = s.launchPendingSince() == null ? ctx.clock().instant() : s.launchPendingSince();
            run = ctx.runner().launch(specs.toLaunch(s, since, credential));
        } catch (AutomationException e) {
            span.failed(e.errorCode());
            if (!e.isTransient()) {
                return ends.refused(s, ctx.clock().instant(), e, unrecorded);
            }
            return launchAttemptFailed(s, ctx.clock().instant(), e, "launch failed", Attempt.LAUNCHED, unrecorded);
        } catch (RuntimeException e) {
            span.failed("RUNNER_ERROR");
            AutomationException wrapped = AutomationException.transientFailure("RUNNER_ERROR",
                    "unexpected runner error: " + e.getClass().getSimpleName(), e);
            log.error("job {}: runner failed unexpectedly; treating it as transient", s.id(), e);
            return launchAttemptFailed(s, ctx.clock().instant(), wrapped, "launch failed", Attempt.LAUNCHED,
                    unrecorded);
        } finally {
            span.close();
        }
        return attach(s, run, false, List.of(), unrecorded);
    }

    /**
     * The launch attempts are used up, and the last one may have started a run (its answer was lost, or the node
     * died while waiting for it): that run is looked for before the job gives up, and followed when found. When it
     * cannot be looked for, the job ends {@code LAUNCH_OUTCOME_UNKNOWN} and is watched for that run.
     */
    private @Nullable StoredJob lastLook(StoredJob s, Instant now) {
        int attempts = s.job().retryCount();
        Instant since = s.launchPendingSince();
        if (since != null) {
            List<LaunchedRun> runs;
            try {
                runs = ctx.runner().findRuns(specs.toFind(s, since));
            } catch (AutomationException e) {
                return ends.unlooked(s, now, ErrorCodes.LAUNCH_OUTCOME_UNKNOWN, "gave up after " + attempts
                        + " launch attempts; the last may have started a run, and it could not be looked for", e);
            }
            if (!runs.isEmpty()) {
                return attach(s, runs.get(0), true, runs.subList(1, runs.size()));
            }
        }
        return ends.exhausted(s, now, "gave up after " + attempts + " launch attempts" + lastError(s.job()), null,
                true);
    }

    /** What a failed launch attempt did before it failed: whether a run may have been started or is unaccounted for. */
    private enum Attempt {
        /** The launch call failed transiently: the service may have started the run anyway (a lost answer). */
        LAUNCHED,
        /** Looking for an earlier attempt's run failed: that run, if any, is unaccounted for. */
        LOOKED,
        /** Nothing reached the runner in this attempt, and every earlier attempt's run was looked for. */
        NOTHING_STARTED
    }

    private @Nullable StoredJob launchAttemptFailed(StoredJob s, Instant now, AutomationException e, String what,
            Attempt attempt, FreshLaunches.@Nullable Unrecorded unrecorded) {
        int attempts = s.job().retryCount();
        String message = redactor.text(s.id(), what + ": " + bounded(e.getMessage()));
        boolean last = attempts >= ctx.settings().maxLaunchAttempts();
        if (last && attempt != Attempt.LAUNCHED) {
            return ends.exhausted(s, now, "gave up after " + attempts + " launch attempts; last: " + message,
                    e.errorCode(), attempt == Attempt.NOTHING_STARTED || s.launchPendingSince() == null, unrecorded);
        }
        Duration delay = ctx.retryDelay(Math.max(attempts, 1));
        if (e.retryAfter() != null && e.retryAfter().compareTo(delay) > 0) {
            delay = e.retryAfter();
        }
        // the service may still be processing the launch until it settled: looking (or launching) before then could
        // miss the run it starts, and start a second one
        Instant settled = attempt == Attempt.LAUNCHED && e.mayHaveTakenEffect() ? settledAt(now) : null;
        Instant backedOff = now.plus(delay);
        boolean settling = settled != null && settled.isAfter(backedOff);
        Instant retryAt = settled != null && settling ? settled : backedOff;
        String next = (settling ? "; the launch may still be processed until " + retryAt
                + " (the runner's launch settle time)" : "")
                + (last ? "; the run it may have started is looked for at " + retryAt + " before the job gives up"
                        : "");
        log.info("job {}: {} ({}); {} at {}{}", s.id(), message, e.errorCode(),
                last ? "looking for its run" : "retrying", retryAt, settling ? ", after the launch settle time" : "");
        writer.commit(FreshLaunches.Unrecorded.recordIn(JobChange.of(s, now), unrecorded)
                .event(JobEventType.LAUNCH_RETRY_SCHEDULED, message + next, Map.of("error_code", e.errorCode(),
                        "retry_at", retryAt.toString(), "attempt", (long) attempts))
                .job(b -> b.errorCode(e.errorCode()).errorMessage(message))
                .stored(x -> x.withLease(null, null).withNextCheckAt(retryAt)));
        return null;
    }

    /**
     * When the service has surely finished processing a launch request whose answer was lost: the runner's launch
     * settle time after the launch call failed (measured from its end, not its start: the request cannot have been
     * sent later, whatever the runner did before sending it).
     *
     * @param failedAt when the launch call failed (or was given up)
     * @return that time, or null when the runner declares no settle time
     */
    private @Nullable Instant settledAt(Instant failedAt) {
        Duration settle = ctx.runner().launchSettleTime();
        return settle.isNegative() || settle.isZero() ? null : failedAt.plus(settle);
    }

    /**
     * Records a launched (or found) run; when the job moved meanwhile, re-reads it and decides on the fresh state.
     * Other runs of the same job ({@code strays}: an earlier attempt's run that the service started late) are
     * cancelled.
     *
     * @return the job to continue with (a stop waits to be sent), or null when it was released
     */
    @Nullable StoredJob attach(StoredJob s, LaunchedRun run, boolean foundAgain, List<LaunchedRun> strays) {
        return attach(s, run, foundAgain, strays, null);
    }

    /**
     * {@link #attach(StoredJob, LaunchedRun, boolean, List)} after a reserved attempt begun without a write.
     *
     * @param unrecorded what the attempt has not written yet (the write of the run records it), or null
     */
    private @Nullable StoredJob attach(StoredJob s, LaunchedRun run, boolean foundAgain, List<LaunchedRun> strays,
            FreshLaunches.@Nullable Unrecorded unrecorded) {
        strayRuns.cancelStrays(s.id(), run.runId(), strays);
        StoredJob current = s;
        FreshLaunches.Unrecorded first = unrecorded;
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant now = ctx.clock().instant();
            Instant deadline = now.plus(ctx.settings().jobTimeout());
            String message = foundAgain ? "found run " + run.runId() + " started by an earlier launch attempt"
                    : "run " + run.runId() + " launched";
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("run_id", run.runId());
            if (run.templateId() != null) {
                data.put("template_id", run.templateId());
            }
            data.put("found_again", foundAgain);
            if (!strays.isEmpty()) {
                data.put("cancelled_runs", strays.stream().map(LaunchedRun::runId).toList());
            }
            Instant firstPoll = min(now.plus(ctx.settings().pollInterval()), deadline);
            JobChange change = FreshLaunches.Unrecorded.recordIn(JobChange.of(current, now), first)
                    .transition(Transition.LAUNCHED, message, data)
                    .job(b -> b.runId(run.runId()).startedAt(now).deadline(deadline).errorCode(null).errorMessage(null))
                    .stored(x -> x.withLaunchPendingSince(null).withNextCheckAt(firstPoll));
            // nothing to ask the runner until the first poll, unless a stop waits to be sent, or the tenant status
            // is to be applied again (a reserved attempt whose job was written meanwhile: see Unrecorded#onto)
            boolean release = current.stop() == null && (first == unrecorded || current.tenantStatusApplied());
            if (release) {
                change.stored(x -> x.withLease(null, null));
            }
            if (run.templateId() != null) {
                change.job(b -> b.templateId(run.templateId()));
            }
            try {
                log.info("job {} ({} of tenant {}): {}", s.id(), s.job().operation().wireName(), s.job().tenantId(),
                        message);
                StoredJob saved = writer.commit(change);
                strayRuns.watch(saved, now);
                return release ? null : saved;
            } catch (StaleJobException stale) {
                StoredJob fresh = ctx.repository().find(s.id()).orElse(null);
                if (fresh != null && fresh.job().status() == JobStatus.QUEUED) {
                    // (a reserved attempt's count and tenant status are still to be recorded: the job as written
                    // meanwhile, by a cancel say, does not hold them)
                    if (first != null) {
                        first = first.onto(fresh);
                        current = first.pending();
                    } else {
                        current = fresh;
                    }
                    continue;
                }
                if (fresh != null && run.runId().equals(fresh.job().runId())) {
                    return null;
                }
                log.error("job {}: run {} was launched but the job moved on meanwhile ({}); cancelling that run",
                        s.id(), run.runId(), fresh == null ? "deleted" : fresh.job().status().wireName());
                strayRuns.cancelQuietly(run.runId());
                return null;
            }
        }
        log.error("job {}: could not record run {} after 5 attempts; it is found again on the next launch attempt",
                s.id(), run.runId());
        return null;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
