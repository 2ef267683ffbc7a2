package com.dotmac.provisioning.internal.engine;

import static com.dotmac.provisioning.internal.engine.JobMessages.bounded;
import static com.dotmac.provisioning.internal.engine.JobMessages.cancelMessage;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.state.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping a job: a cancel of a queued job (after looking for a run an earlier launch attempt may have started, which
 * is then attached and cancelled like any other); a passed deadline (recorded as a stop request with reason
 * {@code timeout}); sending the cancel of a run to the runner once; and ending a job whose stop the runner did not
 * confirm within {@code cancelGrace}, so that no job stays in flight. The run's confirmed end is applied by
 * {@link RunEndStep}.
 *
 * <p>Thread-safe: no state of its own; each call works on one claimed job, and its writes are version-checked (a
 * cancel request arriving meanwhile makes the write lose and the job be read again). Logs under
 * {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class StopStep {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;
    private final JobLeases leases;
    private final LaunchSpecs specs;
    private final LaunchStep launches;
    private final TokenRedactor redactor;

    StopStep(EngineContext ctx, JobWriter writer, JobLeases leases, LaunchSpecs specs, LaunchStep launches,
            TokenRedactor redactor) {
        this.ctx = ctx;
        this.writer = writer;
        this.leases = leases;
        this.specs = specs;
        this.launches = launches;
        this.redactor = redactor;
    }

    /**
     * A queued job somebody asked to stop: when an earlier launch attempt may have started a run, that run is looked
     * for first (and attached, so that it is cancelled); otherwise the job ends {@code cancelled}. A look that fails
     * transiently is tried again with back-off and counts against the launch attempts; when they are used up, or the
     * look fails permanently, the job ends {@code cancelled} all the same, saying that a run may exist, and is
     * watched for it ({@link StrayRunWatch#lookAfterEnd}).
     *
     * @return the job to continue with, or null when it was released
     */
    @Nullable StoredJob cancelQueued(StoredJob s, Instant now) {
        StopRequest stop = s.stop();
        Map<String, Object> data = Map.of("requested_by", stop == null ? "system" : stop.requestedBy());
        if (s.launchPendingSince() != null) {
            List<LaunchedRun> earlier;
            try {
                earlier = ctx.runner().findRuns(specs.toFind(s, s.launchPendingSince()));
            } catch (AutomationException e) {
                int looks = s.job().retryCount() + 1;
                String why = redactor.text(s.id(), "could not look for a run an earlier launch attempt may have "
                        + "started (" + e.errorCode() + ": " + bounded(e.getMessage()) + ")");
                if (e.isTransient() && looks < ctx.settings().maxLaunchAttempts()) {
                    Instant retryAt = now.plus(ctx.retryDelay(looks));
                    log.warn("job {}: cannot tell whether a run exists before cancelling: {}; retrying at {}", s.id(),
                            why, retryAt);
                    writer.commit(JobChange.of(s, now)
                            .job(b -> b.retryCount(looks).errorCode(e.errorCode()).errorMessage(why))
                            .stored(x -> x.withLease(null, null).withNextCheckAt(retryAt)));
                    return null;
                }
                String message = cancelMessage(stop) + "; " + why + "; "
                        + StrayRunWatch.checkThePlatform(ctx, s.job(), now);
                log.warn("job {}: {}", s.id(), message);
                return writer.commit(JobChange.of(s, now).job(b -> b.retryCount(looks))
                        .end(Transition.CANCELLED_BEFORE_LAUNCH, ErrorCodes.CANCELLED, message,
                                Map.of("requested_by", data.get("requested_by"), "outcome_known", false)));
            }
            if (!earlier.isEmpty()) {
                return launches.attach(s, earlier.get(0), true, earlier.subList(1, earlier.size()));
            }
        }
        return writer.commit(JobChange.of(s, now).end(Transition.CANCELLED_BEFORE_LAUNCH, ErrorCodes.CANCELLED,
                cancelMessage(stop), data).stored(x -> x.withLaunchPendingSince(null)));
    }

    /**
     * When the job's deadline has passed and no stop was requested, records a stop with reason {@code timeout}. The
     * deadline is the run's start plus the job timeout once a poll saw it running ({@link RunStartWatch}), else its
     * launch plus the job timeout.
     *
     * @return the job as written, or {@code s} unchanged
     */
    StoredJob stopIfDeadlinePassed(StoredJob s, String runId, Instant now) {
        ProvisioningJob job = s.job();
        if (s.stop() == null && job.deadline() != null && !now.isBefore(job.deadline())) {
            return writer.commit(JobChange.of(s, now)
                    .event(JobEventType.DEADLINE_PASSED, "deadline passed (" + ctx.settings().jobTimeout()
                            + (job.runStartedAt() != null ? " after the run started" : " after launch")
                            + "); cancelling run " + runId, Map.of("run_id", runId))
                    .stored(x -> x.withStop(new StopRequest(StopReason.TIMEOUT, "system", "job timeout", now))));
        }
        return s;
    }

    /** @return whether the runner had {@code cancelGrace} to confirm the stop and did not */
    boolean graceOver(StopRequest stop, Instant now) {
        return !now.isBefore(stop.at().plus(ctx.settings().cancelGrace()));
    }

    /**
     * Asks the runner to cancel the run and records that it was asked; when the runner cannot be reached, releases
     * the job to try again (at the latest when the cancel grace ends).
     *
     * @return the job as written, or null when it was released
     */
    @Nullable StoredJob sendCancel(StoredJob s, String runId, StopRequest stop, Instant now) {
        try {
            ctx.runner().cancel(runId);
        } catch (AutomationException e) {
            Instant retryAt = min(now.plus(ctx.retryDelay(1)), stop.at().plus(ctx.settings().cancelGrace()));
            log.warn("job {}: could not cancel run {} ({}); retrying at {}", s.id(), runId, e.getMessage(), retryAt);
            leases.release(s, retryAt);
            return null;
        }
        return writer.commit(JobChange.of(s, now)
                .event(JobEventType.RUN_CANCEL_SENT, "asked the runner to cancel run " + runId,
                        Map.of("run_id", runId, "reason", stop.reason().name().toLowerCase(Locale.ROOT)))
                .stored(x -> x.withStopSentAt(now)));
    }

    /**
     * Ends a job whose stop the runner did not confirm within the cancel grace: {@code timed_out} for a deadline,
     * {@code cancelled} for a cancel, with a message that asks to check the run.
     *
     * @return the ended job (its tenant status is still to be applied)
     */
    StoredJob endUnconfirmed(StoredJob s, StopRequest stop, Instant now) {
        String runId = String.valueOf(s.job().runId());
        String why = "the runner did not confirm within " + ctx.settings().cancelGrace() + " that run " + runId
                + " stopped; check it in the automation service";
        Map<String, Object> data = Map.of("run_id", runId, "confirmed", false);
        JobChange change = JobChange.of(s, now);
        if (RunStartWatch.isPendingStop(stop)) {
            change.end(Transition.DEADLINE_PASSED, ErrorCodes.RUN_PENDING_TIMEOUT,
                    RunStartWatch.pendingMessage(ctx) + "; " + why, data);
        } else if (stop.reason() == StopReason.TIMEOUT) {
            change.end(Transition.DEADLINE_PASSED, ErrorCodes.TIMED_OUT, "timed out after "
                    + ctx.settings().jobTimeout() + "; " + why, data);
        } else {
            change.end(Transition.CANCEL_CONFIRMED, ErrorCodes.CANCELLED, cancelMessage(stop) + "; " + why, data);
        }
        log.warn("job {}: {}", s.id(), why);
        return writer.commit(change);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
