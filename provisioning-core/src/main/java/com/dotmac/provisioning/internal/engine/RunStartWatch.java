package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending is not running: watches a launched run until a poll first finds it running. That poll records the run's
 * start ({@code run_started_at}) and moves the job's deadline to the start plus the job timeout, so that the time a
 * run waits {@code pending} for capacity never counts against it. A run still pending {@code pendingTimeout} after
 * its launch is stopped with reason {@code timeout} and the message {@link #PENDING_STOP}; its end then says that
 * the platform had no capacity for it ({@link #pendingMessage}) with {@code RUN_PENDING_TIMEOUT}. While a run is
 * pending and the pending timeout is longer than the job timeout, the deadline is moved to the pending limit.
 *
 * <p>A run that no poll could see (the runner unreachable) keeps the deadline set at its launch. Only a job without
 * a stop is looked at: once a stop is asked for, nothing of this changes.
 *
 * <p>Thread-safe: no state of its own; each call works on one claimed job and its write is version-checked. Logs
 * under {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class RunStartWatch {
    /** The {@link StopRequest#message()} of a stop for a run that stayed pending too long. */
    static final String PENDING_STOP = "pending timeout";

    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final JobWriter writer;

    RunStartWatch(EngineContext ctx, JobWriter writer) {
        this.ctx = ctx;
        this.writer = writer;
    }

    /**
     * What a poll that found the run not ended means for its job: the first look at it running records its start;
     * a look at it pending past the pending timeout stops it.
     *
     * @param s the claimed job
     * @param state the run's state as polled ({@link RunState#PENDING} or {@link RunState#RUNNING})
     * @param now the time of the poll
     * @param nextPoll when to look at a job (as it would be written) again
     * @return {@code s} itself when nothing was written (release it as usual); null when the change was written
     *     and the job released; else the job as written, still claimed, with a stop to send
     * @throws com.dotmac.provisioning.spi.StaleJobException when the job changed since it was read
     */
    @Nullable StoredJob notEnded(StoredJob s, RunState state, Instant now,
            BiFunction<StoredJob, Instant, Instant> nextPoll) {
        ProvisioningJob job = s.job();
        Instant launchedAt = job.startedAt();
        if (s.stop() != null || job.runStartedAt() != null || launchedAt == null) {
            return s;
        }
        String runId = String.valueOf(job.runId());
        if (state == RunState.RUNNING) {
            Instant deadline = now.plus(ctx.settings().jobTimeout());
            log.info("job {}: run {} is running, {} after its launch; it may run until {}", s.id(), runId,
                    human(Duration.between(launchedAt, now)), deadline);
            Instant next = nextPoll.apply(s.withJob(job.toBuilder().runStartedAt(now).deadline(deadline).build()), now);
            writer.commit(JobChange.of(s, now).job(b -> b.runStartedAt(now).deadline(deadline))
                    .stored(x -> x.withLease(null, null).withNextCheckAt(next)));
            return null;
        }
        if (state != RunState.PENDING) {
            return s;
        }
        Instant limit = launchedAt.plus(ctx.settings().pendingTimeout());
        if (!now.isBefore(limit)) {
            String message = pendingMessage(ctx) + "; cancelling run " + runId;
            log.warn("job {}: {}", s.id(), message);
            return writer.commit(JobChange.of(s, now)
                    .event(JobEventType.DEADLINE_PASSED, message, Map.of("run_id", runId, "run_state", "pending",
                            "pending_since", launchedAt.toString()))
                    .stored(x -> x.withStop(new StopRequest(StopReason.TIMEOUT, "system", PENDING_STOP, now))));
        }
        if (job.deadline() != null && job.deadline().isBefore(limit)) {
            // the job timeout counts from the start: while pending, only the pending timeout bounds the run
            Instant next = nextPoll.apply(s.withJob(job.toBuilder().deadline(limit).build()), now);
            writer.commit(JobChange.of(s, now).job(b -> b.deadline(limit))
                    .stored(x -> x.withLease(null, null).withNextCheckAt(next)));
            return null;
        }
        return s;
    }

    /**
     * @param s a job whose run is polled
     * @return when its run, if the runner still reports it pending, is stopped; null when that no longer applies (it
     *     was seen running, or a stop was asked for)
     */
    @Nullable Instant pendingLimit(StoredJob s) {
        Instant launchedAt = s.job().startedAt();
        if (s.stop() != null || s.job().runStartedAt() != null || launchedAt == null) {
            return null;
        }
        return launchedAt.plus(ctx.settings().pendingTimeout());
    }

    /**
     * @param stop a job's stop
     * @return whether it stops a run that stayed pending too long
     */
    static boolean isPendingStop(StopRequest stop) {
        return stop.reason() == StopReason.TIMEOUT && PENDING_STOP.equals(stop.message());
    }

    /**
     * @param ctx the engine's context (its pending timeout)
     * @return why a run that stayed pending is stopped, naming the platform's capacity
     */
    static String pendingMessage(EngineContext ctx) {
        return "the run stayed pending for " + human(ctx.settings().pendingTimeout()) + " (the automation platform "
                + "has no capacity for it: check AWX instance/instance-group capacity)";
    }

    /** @return e.g. {@code 30m}, {@code 1h50m}, {@code 45s}; ISO-8601 when it has a fraction of a second */
    static String human(Duration d) {
        if (d.isNegative() || d.getNano() != 0) {
            return d.toString();
        }
        StringBuilder text = new StringBuilder();
        if (d.toHours() > 0) {
            text.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            text.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || text.length() == 0) {
            text.append(d.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
