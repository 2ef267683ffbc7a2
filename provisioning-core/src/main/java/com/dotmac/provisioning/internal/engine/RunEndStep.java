package com.dotmac.provisioning.internal.engine;

import static com.dotmac.provisioning.internal.engine.JobMessages.bounded;
import static com.dotmac.provisioning.internal.engine.JobMessages.cancelMessage;
import static com.dotmac.provisioning.internal.engine.JobMessages.detail;

import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.state.Transition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a run's end to its job: succeeded (keeping the run's artifacts), failed, error, lost, or cancelled (by the
 * platform, by a passed deadline, or outside the platform). The runner's detail and artifacts are cleaned of the
 * job's callback token first; the tenant status that goes with the ending is applied before the ending is written,
 * so that one commit records both ({@link TenantStatusStep#applyWithEnding}).
 *
 * <p>Thread-safe: no state of its own; each call works on one claimed job (from a batch poll or a job's own step),
 * and its write is version-checked. Logs under {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class RunEndStep {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;
    private final TenantStatusStep tenantStatus;
    private final TokenRedactor redactor;

    RunEndStep(EngineContext ctx, JobWriter writer, TenantStatusStep tenantStatus, TokenRedactor redactor) {
        this.ctx = ctx;
        this.writer = writer;
        this.tenantStatus = tenantStatus;
        this.redactor = redactor;
    }

    /**
     * Records what the runner reported about a run that has ended ({@link com.dotmac.provisioning.spi.RunState#isFinal}).
     *
     * @return the ended job when its tenant status is still to be applied, else null (released for good)
     * @throws com.dotmac.provisioning.spi.StaleJobException when the job changed since it was read
     */
    @Nullable StoredJob apply(StoredJob s, RunStatus reported, Instant now) {
        JobChange change = ending(s, reported, now);
        boolean settled = change.status().isTerminal() && tenantStatus.applyWithEnding(s, change);
        StoredJob saved = writer.commit(change);
        logEnded(s, saved);
        return settled ? null : saved;
    }

    /**
     * The change that records a run's end, not yet written (the runner's detail and artifacts cleaned of the job's
     * callback token); its tenant status is not applied yet.
     *
     * @throws IllegalArgumentException when the run has not ended
     */
    JobChange ending(StoredJob s, RunStatus reported, Instant now) {
        RunStatus status = new RunStatus(reported.state(),
                reported.detail() == null ? null : redactor.text(s.id(), reported.detail()),
                redactor.map(s.id(), reported.artifacts()));
        String runId = String.valueOf(s.job().runId());
        Map<String, Object> data = Map.of("run_id", runId, "run_state", status.state().name().toLowerCase(Locale.ROOT));
        JobChange change = JobChange.of(s, now);
        switch (status.state()) {
            case PENDING, RUNNING -> throw new IllegalArgumentException("run " + runId + " has not ended");
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
                } else if (RunStartWatch.isPendingStop(stop)) {
                    change.end(Transition.DEADLINE_PASSED, ErrorCodes.RUN_PENDING_TIMEOUT,
                            RunStartWatch.pendingMessage(ctx) + "; run " + runId + " was cancelled", data);
                } else if (stop.reason() == StopReason.TIMEOUT) {
                    change.end(Transition.DEADLINE_PASSED, ErrorCodes.TIMED_OUT, "timed out after "
                            + ctx.settings().jobTimeout() + "; run " + runId + " was cancelled", data);
                } else {
                    change.end(Transition.CANCEL_CONFIRMED, ErrorCodes.CANCELLED, cancelMessage(stop), data);
                }
            }
        }
        return change;
    }

    /** Logs a written ending. */
    void logEnded(StoredJob s, StoredJob saved) {
        log.info("job {} ({} of tenant {}): {} → {}{}", s.id(), s.job().operation().wireName(), s.job().tenantId(),
                s.job().status().wireName(), saved.job().status().wireName(),
                saved.job().errorMessage() == null ? "" : ": " + saved.job().errorMessage());
    }
}
