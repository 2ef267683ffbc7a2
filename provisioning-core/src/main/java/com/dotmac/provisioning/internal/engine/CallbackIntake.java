package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.CallbackRefusedException;
import com.dotmac.provisioning.CallbackRefusedException.Reason;
import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.InvalidCallbackTokenException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobFinishedException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.JsonSize;
import com.dotmac.provisioning.rules.Strings;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes playbooks' callbacks: checks the job token, then what the report may change. A job accepts at most
 * {@link CallbackSettings#MAX_REPORTS_PER_JOB} reports and {@link CallbackSettings#MAX_ARTIFACTS_LENGTH} characters
 * of artifacts in all; once the job has ended, a report may add artifacts but never change one (the run's own
 * artifacts, applied when it ended, are the truth). Each refusal of a report with a valid token is an event without
 * the payload (at most {@link CallbackSettings#MAX_REFUSALS_RECORDED} per job). Thread-safe.
 */
final class CallbackIntake {
    private static final Logger log = LoggerFactory.getLogger(CallbackIntake.class);
    private static final int MAX_KEYS_NAMED = 10;

    private final EngineContext ctx;
    private final JobWriter writer;
    private final @Nullable CallbackTokens tokens;

    CallbackIntake(EngineContext ctx, JobWriter writer) {
        this.ctx = ctx;
        this.writer = writer;
        this.tokens = ctx.tokens();
    }

    boolean isTokenValid(String jobId, @Nullable String token) {
        return tokens != null && tokens.isValid(jobId, token);
    }

    String tokenFor(String jobId) {
        if (tokens == null) {
            throw new IllegalStateException("callbacks are not configured");
        }
        return tokens.tokenFor(jobId);
    }

    /**
     * @return whether the job's run should be polled at once (the job is still active)
     * @throws InvalidCallbackTokenException when the token is not the job's
     * @throws JobFinishedException when the job ended longer ago than the grace
     * @throws CallbackRefusedException when the report may not change the job
     */
    boolean accept(String jobId, @Nullable String token, CallbackReport report) {
        if (!isTokenValid(jobId, token)) {
            throw new InvalidCallbackTokenException();
        }
        AtomicReference<RuntimeException> refusal = new AtomicReference<>();
        StoredJob saved = writer.update(jobId, s -> {
            Instant now = ctx.clock().instant();
            List<JobEvent> events = ctx.repository().events(jobId);
            RuntimeException refused = judge(s.job(), report, events, now);
            refusal.set(refused);
            if (refused == null) {
                return received(s, report, now);
            }
            long recorded = events.stream().filter(e -> e.type() == JobEventType.CALLBACK_REFUSED).count();
            if (recorded >= CallbackSettings.MAX_REFUSALS_RECORDED) {
                return null;
            }
            return JobChange.of(s, now).event(JobEventType.CALLBACK_REFUSED, "a callback was refused: "
                    + refused.getMessage(), refusalData(refused, report));
        });
        RuntimeException refused = refusal.get();
        if (refused != null) {
            log.warn("job {}: callback refused: {}", jobId, refused.getMessage());
            throw refused;
        }
        return saved.job().status().isActive();
    }

    private @Nullable RuntimeException judge(ProvisioningJob job, CallbackReport report, List<JobEvent> events,
            Instant now) {
        if (job.status().isTerminal() && job.finishedAt() != null
                && now.isAfter(job.finishedAt().plus(ctx.settings().callbackGrace()))) {
            return new JobFinishedException(job.id(), job.status(), "called back");
        }
        long accepted = events.stream().filter(e -> e.type() == JobEventType.CALLBACK_RECEIVED).count();
        if (accepted >= CallbackSettings.MAX_REPORTS_PER_JOB) {
            return new CallbackRefusedException(job.id(), Reason.TOO_MANY_REPORTS, "job " + job.id()
                    + " already accepted " + accepted + " callbacks, the most it takes");
        }
        if (JsonSize.of(merge(job, report)) > CallbackSettings.MAX_ARTIFACTS_LENGTH) {
            return new CallbackRefusedException(job.id(), Reason.TOO_LARGE, "the artifacts of job " + job.id()
                    + " would exceed " + CallbackSettings.MAX_ARTIFACTS_LENGTH + " characters as JSON");
        }
        if (job.status().isTerminal()) {
            List<String> changed = changedKeys(job.artifacts(), report.artifacts());
            if (!changed.isEmpty()) {
                return new CallbackRefusedException(job.id(), Reason.CHANGES_RUN_ARTIFACTS, "job " + job.id()
                        + " has ended; a callback may not change the artifacts its run reported (" + String.join(", ",
                                changed) + ")");
            }
        }
        return null;
    }

    private static JobChange received(StoredJob s, CallbackReport report, Instant now) {
        ProvisioningJob job = s.job();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reported_status", report.status());
        data.put("reported_run_id", report.runId());
        data.put("artifact_keys", List.copyOf(report.artifacts().keySet()));
        return JobChange.of(s, now)
                .event(JobEventType.CALLBACK_RECEIVED, "the playbook reported "
                        + (report.status() == null ? "back" : "'" + report.status() + "'"), data)
                .job(b -> b.artifacts(merge(job, report)).lastAcknowledgedAt(now))
                .stored(x -> job.status().isActive() ? x.withNextCheckAt(now) : x);
    }

    private static Map<String, Object> merge(ProvisioningJob job, CallbackReport report) {
        Map<String, Object> artifacts = new LinkedHashMap<>(job.artifacts());
        artifacts.putAll(report.artifacts());
        return artifacts;
    }

    private static List<String> changedKeys(Map<String, Object> existing, Map<String, Object> reported) {
        return reported.entrySet().stream()
                .filter(e -> existing.containsKey(e.getKey()) && !Objects.equals(existing.get(e.getKey()), e.getValue()))
                .map(e -> Strings.abbreviate(e.getKey(), 64)).limit(MAX_KEYS_NAMED).toList();
    }

    private static Map<String, Object> refusalData(RuntimeException refused, CallbackReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", refused instanceof CallbackRefusedException r ? r.reason().wireName() : "job_finished");
        data.put("artifact_count", (long) report.artifacts().size());
        return data;
    }
}
