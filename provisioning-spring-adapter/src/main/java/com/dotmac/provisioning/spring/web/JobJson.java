package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.internal.Json;
import com.dotmac.provisioning.rules.Strings;
import com.dotmac.provisioning.rules.WireNames;
import com.dotmac.provisioning.policy.RequestVariables;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The wire forms of the REST API: jobs, events and pages as snake_case JSON objects (the original field names), and
 * request bodies read strictly (unknown fields, wrong types and unknown enum values are refused, naming the field).
 * Stateless and thread-safe.
 */
final class JobJson {
    private static final Set<String> REQUEST_FIELDS = Set.of("deployment_mode", "operation", "awx_template_id",
            "extra_vars", "connection_profile", "release_version");
    private static final Set<String> CALLBACK_FIELDS = Set.of("tenant_id", "provisioning_job_id", "awx_job_id",
            "status", "artifacts");

    private JobJson() {
    }

    /**
     * @param job a job
     * @param withProfile whether the caller may see its connection profile; otherwise the field is left out
     */
    static Map<String, Object> job(ProvisioningJob job, boolean withProfile) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("tenant_id", job.tenantId());
        m.put("status", job.status().wireName());
        m.put("operation", job.operation().wireName());
        m.put("deployment_mode", job.deploymentMode().wireName());
        m.put("awx_template_id", job.templateId());
        m.put("awx_job_id", runId(job.runId()));
        m.put("requested_by", job.requestedBy());
        m.put("started_at", time(job.startedAt()));
        m.put("finished_at", time(job.finishedAt()));
        m.put("retry_count", (long) job.retryCount());
        m.put("error_code", job.errorCode());
        m.put("error_message", job.errorMessage());
        m.put("extra_vars", job.extraVars());
        if (withProfile) {
            m.put("connection_profile", job.connectionProfile() == null ? null : job.connectionProfile().toMap());
        }
        m.put("artifacts", job.artifacts());
        m.put("last_acknowledged_at", time(job.lastAcknowledgedAt()));
        m.put("created_at", time(job.createdAt()));
        m.put("updated_at", time(job.updatedAt()));
        m.put("release_version", job.releaseVersion());
        m.put("retry_of", job.retryOf());
        m.put("deadline", time(job.deadline()));
        return m;
    }

    static Map<String, Object> page(JobPage page, boolean withProfiles) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(j -> job(j, withProfiles)).toList());
        m.put("total", page.total());
        m.put("page", (long) page.page());
        m.put("page_size", (long) page.pageSize());
        return m;
    }

    static Map<String, Object> events(String jobId, List<JobEvent> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", jobId);
        m.put("items", events.stream().map(JobJson::event).toList());
        m.put("total", (long) events.size());
        return m;
    }

    private static Map<String, Object> event(JobEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", time(e.at()));
        m.put("type", e.type().wireName());
        m.put("from", e.from() == null ? null : e.from().wireName());
        m.put("to", e.to() == null ? null : e.to().wireName());
        m.put("message", e.message());
        m.put("data", e.data());
        return m;
    }

    /** AWX job ids are numbers on the wire, as in the original API; other runners' ids stay strings. */
    private static @Nullable Object runId(@Nullable String runId) {
        if (runId != null && runId.matches("[0-9]{1,18}")) {
            return Long.parseLong(runId);
        }
        return runId;
    }

    private static @Nullable String time(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * Reads a create-job body.
     *
     * @throws InvalidRequestException naming every bad field (all problems of the body at once)
     */
    static ProvisioningRequest request(@Nullable String body, String tenantId, @Nullable String idempotencyKey,
            String requestedBy, RequestVariables accepted) {
        Map<String, Object> map = object(body);
        FieldErrors errors = new FieldErrors();
        rejectUnknown(map, REQUEST_FIELDS, errors);
        DeploymentMode mode = enumField(map, "deployment_mode", DeploymentMode.class, "deployment mode", true, errors);
        Operation operation = enumField(map, "operation", Operation.class, "operation", false, errors);
        Long templateId = longField(map, "awx_template_id", errors);
        Map<String, Object> extraVars = objectField(map, "extra_vars", errors);
        String releaseVersion = stringField(map, "release_version", errors);
        ConnectionProfile profile = null;
        Map<String, Object> rawProfile = objectField(map, "connection_profile", errors);
        if (rawProfile != null) {
            try {
                profile = ConnectionProfile.fromMap(rawProfile);
            } catch (InvalidRequestException e) {
                e.fieldErrors().forEach(fe -> errors.add(fe.field(), fe.message()));
            }
        }
        List<FieldError> bodyErrors = errors.list();
        ProvisioningRequest request = null;
        try {
            request = ProvisioningRequest.builder(tenantId)
                    .operation(operation == null ? Operation.PROVISION : operation)
                    .deploymentMode(mode)
                    .extraVars(extraVars == null ? Map.of() : extraVars)
                    .connectionProfile(profile)
                    .releaseVersion(releaseVersion)
                    .templateId(templateId)
                    .idempotencyKey(idempotencyKey)
                    .requestedBy(requestedBy)
                    .build();
        } catch (InvalidRequestException e) {
            // keep the request's own findings, except for fields the body already reported (e.g. a mistyped mode)
            e.fieldErrors().stream()
                    .filter(fe -> bodyErrors.stream().noneMatch(b -> b.field().startsWith(fe.field())))
                    .forEach(fe -> errors.add(fe.field(), fe.message()));
            // and what the host's allow-list says of the other keys, so that one answer names every bad key
            List<FieldError> reported = errors.list();
            accepted.check(extraVars == null ? Map.of() : extraVars).stream()
                    .filter(fe -> reported.stream().noneMatch(r -> r.field().equals(fe.field())))
                    .forEach(fe -> errors.add(fe.field(), fe.message()));
        }
        errors.throwIfAny();
        return Objects.requireNonNull(request);
    }

    /** Reads an optional cancel body: {@code {"reason": "..."}}. */
    static @Nullable String cancelReason(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Map<String, Object> map = object(body);
        FieldErrors errors = new FieldErrors();
        rejectUnknown(map, Set.of("reason"), errors);
        String reason = stringField(map, "reason", errors);
        errors.throwIfAny();
        return reason;
    }

    /** Reads a callback body, checking that the ids it names are the path's. */
    static CallbackReport callback(@Nullable String body, String tenantId, String jobId) {
        Map<String, Object> map = body == null || body.isBlank() ? Map.of() : object(body);
        FieldErrors errors = new FieldErrors();
        rejectUnknown(map, CALLBACK_FIELDS, errors);
        String reportedTenant = stringField(map, "tenant_id", errors);
        String reportedJob = stringField(map, "provisioning_job_id", errors);
        String status = stringField(map, "status", errors);
        Object awxJobId = map.get("awx_job_id");
        if (awxJobId != null && !(awxJobId instanceof Number) && !(awxJobId instanceof String)) {
            errors.add("awx_job_id", "must be a number, a string or null");
        }
        Map<String, Object> artifacts = objectField(map, "artifacts", errors);
        if (reportedTenant != null && !reportedTenant.equals(tenantId)) {
            errors.add("tenant_id", "does not match the tenant in the path");
        }
        if (reportedJob != null && !reportedJob.equals(jobId)) {
            errors.add("provisioning_job_id", "does not match the job in the path");
        }
        errors.throwIfAny();
        return new CallbackReport(status, awxJobId == null ? null : String.valueOf(awxJobId),
                artifacts == null ? Map.of() : artifacts);
    }

    private static Map<String, Object> object(@Nullable String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("body", "a JSON object is required");
        }
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("body", "is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        return map;
    }

    private static void rejectUnknown(Map<String, Object> map, Set<String> known, FieldErrors errors) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                errors.add(Strings.abbreviate(key, 64), "is not a field of this request (expected: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static <E extends Enum<E>> @Nullable E enumField(Map<String, Object> map, String field, Class<E> type,
            String what, boolean required, FieldErrors errors) {
        Object value = map.get(field);
        if (value == null) {
            if (required) {
                errors.add(field, "is required (one of " + WireNames.list(type) + ")");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(field, "must be a string (one of " + WireNames.list(type) + ")");
            return null;
        }
        try {
            return WireNames.parse(type, s, what);
        } catch (IllegalArgumentException e) {
            errors.add(field, Objects.requireNonNull(e.getMessage(), "WireNames.parse names the problem"));
            return null;
        }
    }

    private static @Nullable Long longField(Map<String, Object> map, String field, FieldErrors errors) {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l;
        }
        errors.add(field, "must be an integer");
        return null;
    }

    private static @Nullable String stringField(Map<String, Object> map, String field, FieldErrors errors) {
        Object value = map.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        errors.add(field, "must be a string");
        return null;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, Object> objectField(Map<String, Object> map, String field,
            FieldErrors errors) {
        Object value = map.get(field);
        if (value == null || value instanceof Map) {
            return (Map<String, Object>) value;
        }
        errors.add(field, "must be a JSON object");
        return null;
    }
}
