package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.JsonValues;
import com.dotmac.provisioning.rules.TraceparentRules;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provisioning job as callers see it: one operation for one tenant, tracked to a terminal {@link JobStatus}.
 * Immutable and thread-safe; a changed job is a new instance ({@link #toBuilder()}).
 *
 * <p>The REST API and the database keep the original field names: {@code id}, {@code tenant_id}, {@code status},
 * {@code operation}, {@code deployment_mode}, {@code awx_template_id} ({@link #templateId}), {@code awx_job_id}
 * ({@link #runId}), {@code requested_by}, {@code started_at}, {@code finished_at}, {@code retry_count},
 * {@code error_code}, {@code error_message}, {@code extra_vars}, {@code connection_profile}, {@code artifacts},
 * {@code last_acknowledged_at}, {@code created_at}, {@code updated_at}; since the pending timeout
 * {@code run_started_at}; and since tracing {@code traceparent}.
 *
 * @param id the job id (a UUID string); also the playbook's {@code provisioning_job_id}
 * @param tenantId the tenant
 * @param tenantSlug the tenant's slug when the job was requested
 * @param operation provision, upgrade or decommission
 * @param deploymentMode where the tenant's environment runs
 * @param status the job's status
 * @param templateId the automation template used (AWX job template id), once known, or the requested override
 * @param runId the automation run's id (AWX job id, or the local runner's run name) once launched
 * @param requestedBy who asked
 * @param createdAt when the job was stored
 * @param updatedAt when the job last changed
 * @param startedAt when the run was launched (it may then wait {@code pending} before it runs: see
 *     {@link #runStartedAt})
 * @param finishedAt when the job reached a terminal status
 * @param lastAcknowledgedAt when the playbook's callback last reached the platform
 * @param retryCount how many launch attempts were made ({@code retry_count}): 1 for a job that launched at its first
 *     attempt, 0 before the first attempt; the retries are this minus one. (The original field counted retries;
 *     the name is kept for its callers.)
 * @param errorCode a stable code for a failure (see {@link ErrorCodes}), or null
 * @param errorMessage what went wrong, for an operator (e.g. the failed task, host and message), or null
 * @param extraVars the request's own extra vars
 * @param connectionProfile the customer-hosted target, or null
 * @param artifacts what the run reported (AWX {@code set_stats}, the callback's artifacts)
 * @param releaseVersion the release to install, or null
 * @param idempotencyKey the caller's idempotency key, or null
 * @param retryOf the id of the job this one retries, or null
 * @param deadline when the run is cancelled and the job timed out: set at launch to the launch plus the job
 *     timeout (or, while the runner reports the run pending, the launch plus the pending timeout, when that is
 *     later), and moved to {@code runStartedAt} plus the job timeout when the run starts
 * @param runStartedAt when the engine first saw the run running ({@code run_started_at}: the first poll after the
 *     run left {@code pending}); null while it has not (yet) been seen running. The job timeout counts from it
 * @param traceparent the W3C {@code traceparent} of the request's trace ({@link com.dotmac.provisioning.spi.JobTracer}),
 *     which the launch passes to the automation; null when the request was not traced. Never a secret; only a
 *     well-formed value ({@link com.dotmac.provisioning.rules.TraceparentRules}) is kept
 */
public record ProvisioningJob(
        String id,
        String tenantId,
        String tenantSlug,
        Operation operation,
        DeploymentMode deploymentMode,
        JobStatus status,
        @Nullable Long templateId,
        @Nullable String runId,
        String requestedBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Instant lastAcknowledgedAt,
        int retryCount,
        @Nullable String errorCode,
        @Nullable String errorMessage,
        Map<String, Object> extraVars,
        @Nullable ConnectionProfile connectionProfile,
        Map<String, Object> artifacts,
        @Nullable String releaseVersion,
        @Nullable String idempotencyKey,
        @Nullable String retryOf,
        @Nullable Instant deadline,
        @Nullable Instant runStartedAt,
        @Nullable String traceparent) {

    /** Checks the required fields and copies the maps. */
    public ProvisioningJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(tenantSlug, "tenantSlug");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(deploymentMode, "deploymentMode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        extraVars = JsonValues.copyMap(extraVars);
        artifacts = JsonValues.copyMap(artifacts);
        traceparent = TraceparentRules.validOrNull(traceparent);
    }

    /** @return whether the job is queued or in progress */
    public boolean isActive() {
        return status.isActive();
    }

    /** @return a builder holding this job's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @param id the job id
     * @return an empty builder; every required field must be set before {@link Builder#build()}
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A mutable builder of {@link ProvisioningJob}; not thread-safe. */
    public static final class Builder {
        private String id;
        private @Nullable String tenantId;
        private @Nullable String tenantSlug;
        private @Nullable Operation operation;
        private @Nullable DeploymentMode deploymentMode;
        private JobStatus status = JobStatus.QUEUED;
        private @Nullable Long templateId;
        private @Nullable String runId;
        private String requestedBy = ProvisioningRequest.DEFAULT_REQUESTED_BY;
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;
        private @Nullable Instant startedAt;
        private @Nullable Instant finishedAt;
        private @Nullable Instant lastAcknowledgedAt;
        private int retryCount;
        private @Nullable String errorCode;
        private @Nullable String errorMessage;
        private Map<String, Object> extraVars = Map.of();
        private @Nullable ConnectionProfile connectionProfile;
        private Map<String, Object> artifacts = Map.of();
        private @Nullable String releaseVersion;
        private @Nullable String idempotencyKey;
        private @Nullable String retryOf;
        private @Nullable Instant deadline;
        private @Nullable Instant runStartedAt;
        private @Nullable String traceparent;

        private Builder(String id) {
            this.id = id;
        }

        private Builder(ProvisioningJob job) {
            this.id = job.id;
            this.tenantId = job.tenantId;
            this.tenantSlug = job.tenantSlug;
            this.operation = job.operation;
            this.deploymentMode = job.deploymentMode;
            this.status = job.status;
            this.templateId = job.templateId;
            this.runId = job.runId;
            this.requestedBy = job.requestedBy;
            this.createdAt = job.createdAt;
            this.updatedAt = job.updatedAt;
            this.startedAt = job.startedAt;
            this.finishedAt = job.finishedAt;
            this.lastAcknowledgedAt = job.lastAcknowledgedAt;
            this.retryCount = job.retryCount;
            this.errorCode = job.errorCode;
            this.errorMessage = job.errorMessage;
            this.extraVars = job.extraVars;
            this.connectionProfile = job.connectionProfile;
            this.artifacts = job.artifacts;
            this.releaseVersion = job.releaseVersion;
            this.idempotencyKey = job.idempotencyKey;
            this.retryOf = job.retryOf;
            this.deadline = job.deadline;
            this.runStartedAt = job.runStartedAt;
            this.traceparent = job.traceparent;
        }

        /** @param v the id @return this */
        public Builder id(String v) {
            this.id = v;
            return this;
        }

        /** @param v the tenant id @return this */
        public Builder tenantId(String v) {
            this.tenantId = v;
            return this;
        }

        /** @param v the tenant slug @return this */
        public Builder tenantSlug(String v) {
            this.tenantSlug = v;
            return this;
        }

        /** @param v the operation @return this */
        public Builder operation(Operation v) {
            this.operation = v;
            return this;
        }

        /** @param v the deployment mode @return this */
        public Builder deploymentMode(DeploymentMode v) {
            this.deploymentMode = v;
            return this;
        }

        /** @param v the status @return this */
        public Builder status(JobStatus v) {
            this.status = v;
            return this;
        }

        /** @param v the template id @return this */
        public Builder templateId(@Nullable Long v) {
            this.templateId = v;
            return this;
        }

        /** @param v the run id @return this */
        public Builder runId(@Nullable String v) {
            this.runId = v;
            return this;
        }

        /** @param v who asked @return this */
        public Builder requestedBy(String v) {
            this.requestedBy = v;
            return this;
        }

        /** @param v creation time @return this */
        public Builder createdAt(Instant v) {
            this.createdAt = v;
            return this;
        }

        /** @param v last change time @return this */
        public Builder updatedAt(Instant v) {
            this.updatedAt = v;
            return this;
        }

        /** @param v launch time @return this */
        public Builder startedAt(@Nullable Instant v) {
            this.startedAt = v;
            return this;
        }

        /** @param v terminal time @return this */
        public Builder finishedAt(@Nullable Instant v) {
            this.finishedAt = v;
            return this;
        }

        /** @param v last callback time @return this */
        public Builder lastAcknowledgedAt(@Nullable Instant v) {
            this.lastAcknowledgedAt = v;
            return this;
        }

        /** @param v launch attempts @return this */
        public Builder retryCount(int v) {
            this.retryCount = v;
            return this;
        }

        /** @param v error code @return this */
        public Builder errorCode(@Nullable String v) {
            this.errorCode = v;
            return this;
        }

        /** @param v error message @return this */
        public Builder errorMessage(@Nullable String v) {
            this.errorMessage = v;
            return this;
        }

        /** @param v the request's extra vars @return this */
        public Builder extraVars(Map<String, ?> v) {
            this.extraVars = JsonValues.copyMap(v);
            return this;
        }

        /** @param v the connection profile @return this */
        public Builder connectionProfile(@Nullable ConnectionProfile v) {
            this.connectionProfile = v;
            return this;
        }

        /** @param v the artifacts @return this */
        public Builder artifacts(Map<String, ?> v) {
            this.artifacts = JsonValues.copyMap(v);
            return this;
        }

        /** @param v the release version @return this */
        public Builder releaseVersion(@Nullable String v) {
            this.releaseVersion = v;
            return this;
        }

        /** @param v the idempotency key @return this */
        public Builder idempotencyKey(@Nullable String v) {
            this.idempotencyKey = v;
            return this;
        }

        /** @param v the retried job's id @return this */
        public Builder retryOf(@Nullable String v) {
            this.retryOf = v;
            return this;
        }

        /** @param v the deadline @return this */
        public Builder deadline(@Nullable Instant v) {
            this.deadline = v;
            return this;
        }

        /** @param v when the run was first seen running, or null @return this */
        public Builder runStartedAt(@Nullable Instant v) {
            this.runStartedAt = v;
            return this;
        }

        /**
         * @param v the request's W3C traceparent, or null; a malformed one is dropped (stored as null)
         * @return this
         */
        public Builder traceparent(@Nullable String v) {
            this.traceparent = v;
            return this;
        }

        /**
         * @return the job
         * @throws NullPointerException naming a required field that was not set
         */
        public ProvisioningJob build() {
            return new ProvisioningJob(id, Objects.requireNonNull(tenantId, "tenantId"),
                    Objects.requireNonNull(tenantSlug, "tenantSlug"), Objects.requireNonNull(operation, "operation"),
                    Objects.requireNonNull(deploymentMode, "deploymentMode"), status, templateId, runId, requestedBy,
                    Objects.requireNonNull(createdAt, "createdAt"), Objects.requireNonNull(updatedAt, "updatedAt"),
                    startedAt, finishedAt, lastAcknowledgedAt, retryCount, errorCode, errorMessage, extraVars,
                    connectionProfile, artifacts, releaseVersion, idempotencyKey, retryOf, deadline, runStartedAt,
                    traceparent);
        }
    }
}
