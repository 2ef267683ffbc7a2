package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.WireNames;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /tenants/{tenant_id}/provisioning/jobs}. The JSON mapper checks the shape (unknown fields
 * and wrong types are refused, naming the field); {@link #toRequest} checks the values, reporting every bad field at
 * once.
 *
 * @param deploymentMode {@code dotmac_hosted} or {@code customer_hosted} (required)
 * @param operation {@code provision} (default), {@code upgrade} or {@code decommission}
 * @param awxTemplateId a template override, allowed only from the host's allow-list
 * @param extraVars the playbook variables the host declared, keys as sent
 * @param connectionProfile where a customer-hosted tenant's servers are and which credential reaches them
 * @param releaseVersion the release an upgrade installs
 */
public record ProvisioningRequestBody(@Nullable String deploymentMode, @Nullable String operation,
        @Nullable Long awxTemplateId, @Nullable Map<String, Object> extraVars,
        @Nullable Map<String, Object> connectionProfile, @Nullable String releaseVersion) implements ApiBody {

    /**
     * @param tenantId the tenant of the path
     * @param idempotencyKey the {@code Idempotency-Key} header, if any
     * @param requestedBy the caller's name
     * @param accepted the extra vars the host declared
     * @return the request this body asks for
     * @throws InvalidRequestException naming every bad field
     */
    public ProvisioningRequest toRequest(String tenantId, @Nullable String idempotencyKey, String requestedBy,
            RequestVariables accepted) {
        FieldErrors errors = new FieldErrors();
        DeploymentMode mode = enumValue(deploymentMode, "deployment_mode", DeploymentMode.class, "deployment mode",
                true, errors);
        Operation op = enumValue(operation, "operation", Operation.class, "operation", false, errors);
        Map<String, Object> vars = extraVars == null ? Map.of() : extraVars;
        ConnectionProfile profile = null;
        if (connectionProfile != null) {
            try {
                profile = ConnectionProfile.fromMap(connectionProfile);
            } catch (InvalidRequestException e) {
                e.fieldErrors().forEach(fe -> errors.add(fe.field(), fe.message()));
            }
        }
        List<FieldError> bodyErrors = errors.list();
        ProvisioningRequest request = null;
        try {
            request = ProvisioningRequest.builder(tenantId)
                    .operation(op == null ? Operation.PROVISION : op)
                    .deploymentMode(mode)
                    .extraVars(vars)
                    .connectionProfile(profile)
                    .releaseVersion(releaseVersion)
                    .templateId(awxTemplateId)
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
            accepted.check(vars).stream()
                    .filter(fe -> reported.stream().noneMatch(r -> r.field().equals(fe.field())))
                    .forEach(fe -> errors.add(fe.field(), fe.message()));
        }
        errors.throwIfAny();
        return Objects.requireNonNull(request);
    }

    private static <E extends Enum<E>> @Nullable E enumValue(@Nullable String value, String field, Class<E> type,
            String what, boolean required, FieldErrors errors) {
        if (value == null) {
            if (required) {
                errors.add(field, "is required (one of " + WireNames.list(type) + ")");
            }
            return null;
        }
        try {
            return WireNames.parse(type, value, what);
        } catch (IllegalArgumentException e) {
            errors.add(field, String.valueOf(e.getMessage()));
            return null;
        }
    }
}
