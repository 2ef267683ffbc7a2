package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.rules.FieldErrors;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body a playbook posts to {@code POST .../{job_id}/callback}; every field is optional.
 *
 * @param tenantId the tenant the playbook ran for; must be the path's when present
 * @param provisioningJobId the job the playbook ran for; must be the path's when present
 * @param awxJobId the runner's id of the run: a number, a string or null
 * @param status the run's status as the playbook sees it
 * @param artifacts what the run produced, e.g. {@code tenant_url}
 */
public record CallbackRequestBody(@Nullable String tenantId, @Nullable String provisioningJobId,
        @Nullable Object awxJobId, @Nullable String status, @Nullable Map<String, Object> artifacts)
        implements ApiBody {

    /**
     * @param body the body, or null when none was sent
     * @param tenantId the tenant of the path
     * @param jobId the job of the path
     * @return the report the body makes
     * @throws InvalidRequestException when an id does not match the path or {@code awx_job_id} is an object or array
     */
    public static CallbackReport toReport(@Nullable CallbackRequestBody body, String tenantId, String jobId) {
        if (body == null) {
            return new CallbackReport(null, null, Map.of());
        }
        FieldErrors errors = new FieldErrors();
        Object runId = body.awxJobId();
        if (runId != null && !(runId instanceof Number) && !(runId instanceof String)) {
            errors.add("awx_job_id", "must be a number, a string or null");
        }
        if (body.tenantId() != null && !body.tenantId().equals(tenantId)) {
            errors.add("tenant_id", "does not match the tenant in the path");
        }
        if (body.provisioningJobId() != null && !body.provisioningJobId().equals(jobId)) {
            errors.add("provisioning_job_id", "does not match the job in the path");
        }
        errors.throwIfAny();
        return new CallbackReport(body.status(), runId == null ? null : String.valueOf(runId),
                body.artifacts() == null ? Map.of() : body.artifacts());
    }
}
