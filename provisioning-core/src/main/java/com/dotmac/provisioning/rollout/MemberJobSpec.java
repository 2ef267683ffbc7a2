package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.WireNames;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every member job of a rollout is made of: the operation and what goes with it. Each member tenant gets an
 * ordinary job ({@link #memberRequest}), so the variables, release and template are checked exactly as for a single
 * request, when the spec is built, and every problem is reported at once as an {@link InvalidRequestException}
 * naming the fields by their REST names. An upgrade or decommission runs each tenant where it runs: with the
 * deployment mode and connection profile of the tenant's latest job; a provision names its deployment mode, which
 * must be {@code dotmac_hosted} (a customer-hosted tenant needs a connection profile of its own: provision it
 * alone). Immutable and thread-safe.
 *
 * @param operation the operation every member runs
 * @param deploymentMode for a provision: {@code dotmac_hosted} (required); null for upgrade and decommission
 * @param releaseVersion the release: required for upgrade, optional for provision, refused for decommission
 * @param extraVars the caller's own playbook variables, as for a single request
 * @param templateId an automation template to use instead of the configured one, or null
 * @param requestedBy who asked (the authenticated principal), stored with the rollout and each member's job
 */
public record MemberJobSpec(
        Operation operation,
        @Nullable DeploymentMode deploymentMode,
        @Nullable String releaseVersion,
        Map<String, Object> extraVars,
        @Nullable Long templateId,
        String requestedBy) {
    /** The tenant id that stands for every member while the spec is checked as a single request. */
    private static final String ANY_MEMBER = "rollout-member";

    /**
     * Validates the spec and copies its extra vars.
     *
     * @throws InvalidRequestException naming every bad field
     */
    public MemberJobSpec {
        FieldErrors errors = new FieldErrors();
        if (operation == null) {
            errors.add("operation", "is required (one of " + WireNames.list(Operation.class) + ")");
        }
        if (operation == Operation.PROVISION && deploymentMode != DeploymentMode.DOTMAC_HOSTED) {
            errors.add("deployment_mode", deploymentMode == null ? "is required for a provision rollout:"
                    + " dotmac_hosted" : "must be dotmac_hosted in a rollout: a customer_hosted tenant needs a"
                    + " connection profile of its own, so provision it alone");
        }
        if (operation != null && operation != Operation.PROVISION && deploymentMode != null) {
            errors.add("deployment_mode", "is not used by " + operation.wireName() + ": each tenant keeps the"
                    + " deployment mode and connection profile of its latest job; leave it out");
        }
        extraVars = extraVars == null ? Map.of() : extraVars;
        if (operation != null) {
            try {
                extraVars = single(ANY_MEMBER, operation, DeploymentMode.DOTMAC_HOSTED, null, releaseVersion,
                        extraVars, templateId, requestedBy, null).extraVars();
            } catch (InvalidRequestException e) {
                for (FieldError error : e.fieldErrors()) {
                    errors.add(error.field(), error.message());
                }
            }
        }
        errors.throwIfAny();
    }

    /**
     * The single request a member's job is made of.
     *
     * @param tenantId the member
     * @param mode where it runs: this spec's mode for a provision, else its latest job's
     * @param profile its latest job's connection profile (customer-hosted), or null
     * @param jobKey the job's idempotency key ({@link RolloutMember#jobKey()}): a member's job is requested once
     *     per attempt, also when a node dies between the request and recording it
     * @return the request
     * @throws InvalidRequestException when the tenant's recorded deployment cannot make a valid request
     */
    public ProvisioningRequest memberRequest(String tenantId, DeploymentMode mode, @Nullable ConnectionProfile profile,
            String jobKey) {
        return single(tenantId, operation, mode, profile, releaseVersion, extraVars, templateId, requestedBy,
                jobKey);
    }

    @Override
    public String toString() {
        return "MemberJobSpec[operation=" + operation + ", releaseVersion=" + releaseVersion + ", extraVars="
                + extraVars.keySet() + ", requestedBy=" + requestedBy + "]";
    }

    private static ProvisioningRequest single(String tenantId, Operation operation, DeploymentMode mode,
            @Nullable ConnectionProfile profile, @Nullable String releaseVersion, Map<String, Object> extraVars,
            @Nullable Long templateId, String requestedBy, @Nullable String idempotencyKey) {
        return ProvisioningRequest.builder(tenantId).operation(operation).deploymentMode(mode)
                .connectionProfile(profile).releaseVersion(releaseVersion).extraVars(extraVars)
                .templateId(templateId).requestedBy(requestedBy).idempotencyKey(idempotencyKey).build();
    }
}
