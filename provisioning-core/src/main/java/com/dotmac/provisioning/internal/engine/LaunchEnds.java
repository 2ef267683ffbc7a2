package com.dotmac.provisioning.internal.engine;

import static com.dotmac.provisioning.internal.engine.JobMessages.bounded;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.state.Transition;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ways a queued job's launch ends without a run to follow, and whether the job is then watched for a run it may
 * have started after all. When no launch attempt can have started a run the job never saw (the launch was refused,
 * or every attempt's run was looked for), {@code launchPendingSince} is cleared; when one may have (its run could not
 * be looked for), the job keeps it, the message tells the operator to check the automation platform, and
 * {@link StrayRunWatch#lookAfterEnd} watches for that run while {@code retry} is refused.
 *
 * <p>Thread-safe: no state of its own; each call writes one claimed job (version-checked). Logs under
 * {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class LaunchEnds {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;
    private final TokenRedactor redactor;

    LaunchEnds(EngineContext ctx, JobWriter writer, TokenRedactor redactor) {
        this.ctx = ctx;
        this.writer = writer;
        this.redactor = redactor;
    }

    /** A permanent refusal of the launch call: no run was started, so the job is not watched for one. */
    StoredJob refused(StoredJob s, Instant now, AutomationException e) {
        return refused(s, now, e, null);
    }

    /**
     * {@link #refused(StoredJob, Instant, AutomationException)} of a reserved attempt begun without a write.
     *
     * @param unrecorded what the attempt has not written yet, or null
     */
    StoredJob refused(StoredJob s, Instant now, AutomationException e, FreshLaunches.@Nullable Unrecorded unrecorded) {
        String message = redactor.text(s.id(), bounded(e.getMessage()));
        log.warn("job {}: launch refused: {} {}", s.id(), e.errorCode(), message);
        return writer.commit(FreshLaunches.Unrecorded.recordIn(JobChange.of(s, now), unrecorded)
                .end(Transition.LAUNCH_FAILED, e.errorCode(), message, Map.of("error_code", e.errorCode()))
                .stored(x -> x.withLaunchPendingSince(null)));
    }

    /**
     * The launch attempts are used up.
     *
     * @param message what the job says ("gave up after ...")
     * @param errorCode the last failure's code, or null
     * @param outcomeKnown whether every attempt's run was looked for (else the job is watched for one)
     */
    StoredJob exhausted(StoredJob s, Instant now, String message, @Nullable String errorCode,
            boolean outcomeKnown) {
        return exhausted(s, now, message, errorCode, outcomeKnown, null);
    }

    /**
     * {@link #exhausted(StoredJob, Instant, String, String, boolean)} of a reserved attempt begun without a write.
     *
     * @param unrecorded what the attempt has not written yet, or null
     */
    StoredJob exhausted(StoredJob s, Instant now, String message, @Nullable String errorCode,
            boolean outcomeKnown, FreshLaunches.@Nullable Unrecorded unrecorded) {
        String text = outcomeKnown ? message : message + "; " + StrayRunWatch.checkThePlatform(ctx, s.job(), now);
        log.warn("job {}: {}", s.id(), text);
        Map<String, Object> data = errorCode == null
                ? Map.of("attempts", (long) s.job().retryCount(), "outcome_known", outcomeKnown)
                : Map.of("attempts", (long) s.job().retryCount(), "error_code", errorCode, "outcome_known",
                        outcomeKnown);
        JobChange end = FreshLaunches.Unrecorded.recordIn(JobChange.of(s, now), unrecorded).end(Transition.LAUNCH_FAILED, ErrorCodes.LAUNCH_ATTEMPTS_EXHAUSTED,
                text, data);
        return writer.commit(outcomeKnown ? end.stored(x -> x.withLaunchPendingSince(null)) : end);
    }

    /**
     * An earlier launch attempt may have started a run, and it could not be looked for (permanently, or once the
     * attempts were used up).
     *
     * @param errorCode the job's error code
     * @param what what happened, for the operator
     * @param e the failure of the look
     */
    StoredJob unlooked(StoredJob s, Instant now, String errorCode, String what, AutomationException e) {
        String message = redactor.text(s.id(), what + ": " + bounded(e.getMessage()) + "; "
                + StrayRunWatch.checkThePlatform(ctx, s.job(), now));
        log.warn("job {}: {} ({})", s.id(), message, e.errorCode());
        return writer.commit(JobChange.of(s, now).end(Transition.LAUNCH_FAILED, errorCode, message,
                Map.of("attempts", (long) s.job().retryCount(), "error_code", e.errorCode(), "outcome_known", false)));
    }
}
