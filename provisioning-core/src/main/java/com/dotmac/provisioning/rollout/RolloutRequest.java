package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.WireNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for: run one operation across many tenants, following a {@link RolloutPlan}. Immutable and
 * thread-safe; build one with {@link #builder(Operation)}.
 *
 * <p>Each member tenant gets an ordinary job ({@link #memberRequest}), so the variables, release and template are
 * checked exactly as for a single request, when the rollout request is built, and every problem is reported at once
 * as an {@link InvalidRequestException} naming the fields by their REST names. An upgrade or decommission runs each
 * tenant where it runs: with the deployment mode and connection profile of the tenant's latest job; a provision
 * names its deployment mode, which must be {@code dotmac_hosted} (a customer-hosted tenant needs a connection profile
 * of its own: provision it alone).
 *
 * @param operation the operation every member runs
 * @param tenants which tenants
 * @param deploymentMode for a provision: {@code dotmac_hosted} (required); null for upgrade and decommission
 * @param releaseVersion the release: required for upgrade, optional for provision, refused for decommission
 * @param extraVars the caller's own playbook variables, as for a single request
 * @param templateId an automation template to use instead of the configured one, or null
 * @param requestedBy who asked (the authenticated principal), stored with the rollout and each member's job
 * @param plan canary, waves, cap, failure threshold and pause
 */
public record RolloutRequest(
        Operation operation,
        TenantSelection tenants,
        @Nullable DeploymentMode deploymentMode,
        @Nullable String releaseVersion,
        Map<String, Object> extraVars,
        @Nullable Long templateId,
        String requestedBy,
        RolloutPlan plan) {
    /** The tenant id that stands for every member while a rollout request is checked as a single request. */
    private static final String ANY_MEMBER = "rollout-member";

    /**
     * Validates the request and copies its extra vars.
     *
     * @throws InvalidRequestException naming every bad field
     */
    public RolloutRequest {
        FieldErrors errors = new FieldErrors();
        if (operation == null) {
            errors.add("operation", "is required (one of " + WireNames.list(Operation.class) + ")");
        }
        if (tenants == null) {
            errors.add("tenants", "is required: a list of tenant ids, or a selection by status");
        }
        if (plan == null) {
            errors.add("plan", "is required");
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
                ProvisioningRequest checked = asSingleRequest(ANY_MEMBER, operation, DeploymentMode.DOTMAC_HOSTED,
                        null, releaseVersion, extraVars, templateId, requestedBy, null);
                extraVars = checked.extraVars();
            } catch (InvalidRequestException e) {
                for (FieldError error : e.fieldErrors()) {
                    errors.add(error.field(), error.message());
                }
            }
        }
        errors.throwIfAny();
    }

    /**
     * @param operation the operation every member runs
     * @return a builder ({@code requested_by} "system", no extra vars, the default plan); name the tenants
     */
    public static Builder builder(Operation operation) {
        return new Builder(operation);
    }

    /**
     * The single request a member's job is made of.
     *
     * @param tenantId the member
     * @param mode where it runs: this request's mode for a provision, else its latest job's
     * @param profile its latest job's connection profile (customer-hosted), or null
     * @param rolloutId the rollout, part of the job's idempotency key (a member's job is requested once)
     * @return the request
     * @throws InvalidRequestException when the tenant's recorded deployment cannot make a valid request
     */
    public ProvisioningRequest memberRequest(String tenantId, DeploymentMode mode, @Nullable ConnectionProfile profile,
            String rolloutId) {
        return asSingleRequest(tenantId, operation, mode, profile, releaseVersion, extraVars, templateId, requestedBy,
                "rollout:" + rolloutId);
    }

    @Override
    public String toString() {
        return "RolloutRequest[operation=" + operation + ", tenants=" + (tenants instanceof TenantSelection.Listed l
                ? l.tenantIds().size() + " listed" : tenants) + ", releaseVersion=" + releaseVersion + ", extraVars="
                + extraVars.keySet() + ", requestedBy=" + requestedBy + ", plan=" + plan + "]";
    }

    private static ProvisioningRequest asSingleRequest(String tenantId, Operation operation, DeploymentMode mode,
            @Nullable ConnectionProfile profile, @Nullable String releaseVersion, Map<String, Object> extraVars,
            @Nullable Long templateId, String requestedBy, @Nullable String idempotencyKey) {
        return ProvisioningRequest.builder(tenantId).operation(operation).deploymentMode(mode)
                .connectionProfile(profile).releaseVersion(releaseVersion).extraVars(extraVars)
                .templateId(templateId).requestedBy(requestedBy).idempotencyKey(idempotencyKey).build();
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final Operation operation;
        private @Nullable TenantSelection tenants;
        private @Nullable DeploymentMode deploymentMode;
        private @Nullable String releaseVersion;
        private final Map<String, Object> extraVars = new LinkedHashMap<>();
        private @Nullable Long templateId;
        private String requestedBy = ProvisioningRequest.DEFAULT_REQUESTED_BY;
        private RolloutPlan plan = RolloutPlan.builder().build();

        private Builder(Operation operation) {
            this.operation = operation;
        }

        /** @param selection which tenants @return this */
        public Builder tenants(TenantSelection selection) {
            this.tenants = selection;
            return this;
        }

        /** @param mode for a provision rollout: dotmac_hosted @return this */
        public Builder deploymentMode(@Nullable DeploymentMode mode) {
            this.deploymentMode = mode;
            return this;
        }

        /** @param version the release @return this */
        public Builder releaseVersion(@Nullable String version) {
            this.releaseVersion = version;
            return this;
        }

        /** @param name an extra var's name @param value its JSON value @return this */
        public Builder extraVar(String name, @Nullable Object value) {
            this.extraVars.put(name, value);
            return this;
        }

        /** @param vars added to the extra vars so far @return this */
        public Builder extraVars(Map<String, ?> vars) {
            this.extraVars.putAll(vars);
            return this;
        }

        /** @param id the template to use instead of the configured one, or null @return this */
        public Builder templateId(@Nullable Long id) {
            this.templateId = id;
            return this;
        }

        /** @param who who asks @return this */
        public Builder requestedBy(String who) {
            this.requestedBy = who;
            return this;
        }

        /** @param plan canary, waves, cap, threshold and pause @return this */
        public Builder plan(RolloutPlan plan) {
            this.plan = plan;
            return this;
        }

        /**
         * @return the request
         * @throws InvalidRequestException naming every bad field
         */
        // the canonical constructor reports missing tenants as a field error (InvalidRequestException)
        @SuppressWarnings("NullAway")
        public RolloutRequest build() {
            return new RolloutRequest(operation, tenants, deploymentMode, releaseVersion, extraVars, templateId,
                    requestedBy, plan);
        }
    }
}
