package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.ProvisioningJob;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A job as the REST API shows it, with the original wire names (README "REST API"). Times are ISO-8601 instants.
 *
 * @param id the job's id
 * @param tenantId its tenant
 * @param status e.g. {@code queued}, {@code in_progress}, {@code succeeded}
 * @param operation {@code provision}, {@code upgrade} or {@code decommission}
 * @param deploymentMode {@code dotmac_hosted} or {@code customer_hosted}
 * @param awxTemplateId the runner template it uses, if any
 * @param awxJobId the runner's id of the run: a number for AWX, a string for other runners, null before launch
 * @param requestedBy who asked for it
 * @param startedAt when its run was launched (it may then wait pending: see {@code runStartedAt})
 * @param finishedAt when it finished
 * @param retryCount {@code retry_count}: how many launch attempts were made (1 for a job that launched at its first
 *     attempt, 0 before it), not how many were retried
 * @param errorCode why it failed, if it did
 * @param errorMessage a sentence for an operator; never a secret
 * @param extraVars its playbook variables, keys as requested
 * @param connectionProfile absent (left out of the JSON) for callers who may not see it; empty (JSON
 *     {@code null}) when the job has none
 * @param artifacts what the run reported
 * @param lastAcknowledgedAt when a callback was last accepted
 * @param createdAt when it was requested
 * @param updatedAt when it last changed
 * @param releaseVersion the release an upgrade installs
 * @param retryOf the job this one retries
 * @param deadline when it times out (the run's start plus the job timeout, once it has started)
 * @param runStartedAt {@code run_started_at}: when its run was first seen running, after any time pending; null
 *     until then
 */
public record JobResponse(String id, String tenantId, String status, String operation, String deploymentMode,
        @Nullable Long awxTemplateId, @Nullable Object awxJobId, String requestedBy, @Nullable String startedAt,
        @Nullable String finishedAt, long retryCount, @Nullable String errorCode, @Nullable String errorMessage,
        Map<String, Object> extraVars,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Optional<Map<String, Object>> connectionProfile,
        Map<String, Object> artifacts, @Nullable String lastAcknowledgedAt, String createdAt, String updatedAt,
        @Nullable String releaseVersion, @Nullable String retryOf, @Nullable String deadline,
        @Nullable String runStartedAt) implements ApiBody {

    /**
     * @param job a job
     * @param withProfile whether the caller may see its connection profile; otherwise the field is left out
     * @return the job's wire form
     */
    public static JobResponse of(ProvisioningJob job, boolean withProfile) {
        Optional<Map<String, Object>> profile = null;
        if (withProfile) {
            profile = Optional.ofNullable(job.connectionProfile()).map(p -> p.toMap());
        }
        return new JobResponse(job.id(), job.tenantId(), job.status().wireName(), job.operation().wireName(),
                job.deploymentMode().wireName(), job.templateId(), runId(job.runId()), job.requestedBy(),
                time(job.startedAt()), time(job.finishedAt()), job.retryCount(), job.errorCode(), job.errorMessage(),
                job.extraVars(), profile, job.artifacts(), time(job.lastAcknowledgedAt()),
                String.valueOf(job.createdAt()), String.valueOf(job.updatedAt()), job.releaseVersion(), job.retryOf(),
                time(job.deadline()), time(job.runStartedAt()));
    }

    /** AWX job ids are numbers on the wire, as in the original API; other runners' ids stay strings. */
    private static @Nullable Object runId(@Nullable String runId) {
        if (runId != null && runId.matches("[0-9]{1,18}")) {
            return Long.parseLong(runId);
        }
        return runId;
    }

    static @Nullable String time(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
