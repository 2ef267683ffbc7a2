package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.ExtraVarsRules;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.InputRules;
import com.dotmac.provisioning.rules.JsonValues;
import com.dotmac.provisioning.rules.WireNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for: run an {@link Operation} for a tenant. Immutable and thread-safe; build one with
 * {@link #builder(String)}.
 *
 * <p>Everything that can be checked without the tenant is checked when the request is built, and every problem is
 * reported at once as an {@link InvalidRequestException} naming the fields by their REST names. The checks that need
 * the tenant (it exists, its slug, its status, its active job) run in {@link TenantProvisioner#request}.
 *
 * @param tenantId the tenant, as the host's {@link com.dotmac.provisioning.spi.TenantDirectory} knows it
 * @param operation provision, upgrade or decommission
 * @param deploymentMode where the tenant's environment runs
 * @param extraVars the caller's own playbook variables: identifier keys that shadow no reserved name
 *     ({@link PlaybookVariables#isReserved}), JSON values, no Jinja delimiters, bounded sizes
 * @param connectionProfile required for {@link DeploymentMode#CUSTOMER_HOSTED}, refused otherwise
 * @param requestedBy who asked (the authenticated principal), stored with the job
 * @param idempotencyKey a caller's key: the same key for the same tenant returns the same job; or null
 * @param templateId an automation template to use instead of the configured one (AWX job template id); or null
 * @param releaseVersion the release to install: required for upgrade, optional for provision, refused for
 *     decommission
 */
public record ProvisioningRequest(
        String tenantId,
        Operation operation,
        DeploymentMode deploymentMode,
        Map<String, Object> extraVars,
        @Nullable ConnectionProfile connectionProfile,
        String requestedBy,
        @Nullable String idempotencyKey,
        @Nullable Long templateId,
        @Nullable String releaseVersion) {

    /** The {@code requested_by} of a request that names nobody. */
    public static final String DEFAULT_REQUESTED_BY = "system";

    /**
     * Validates the request and copies its extra vars.
     *
     * @throws InvalidRequestException naming every bad field
     */
    public ProvisioningRequest {
        FieldErrors errors = new FieldErrors();
        check(errors, "tenant_id", InputRules.tenantId(tenantId));
        if (operation == null) {
            errors.add("operation", "is required (one of " + WireNames.list(Operation.class) + ")");
        }
        if (deploymentMode == null) {
            errors.add("deployment_mode", "is required (one of " + WireNames.list(DeploymentMode.class) + ")");
        }
        if (extraVars == null) {
            extraVars = Map.of();
        }
        ExtraVarsRules.check(extraVars, errors);
        if (deploymentMode == DeploymentMode.CUSTOMER_HOSTED && connectionProfile == null) {
            errors.add("connection_profile", "is required for customer_hosted: host, port, user and credential_ref");
        }
        if (deploymentMode == DeploymentMode.DOTMAC_HOSTED && connectionProfile != null) {
            errors.add("connection_profile", "is only used for customer_hosted; leave it out for dotmac_hosted");
        }
        check(errors, "requested_by", InputRules.text(requestedBy, InputRules.MAX_TEXT_LENGTH));
        if (idempotencyKey != null) {
            check(errors, "idempotency_key", InputRules.text(idempotencyKey, InputRules.MAX_TEXT_LENGTH));
        }
        if (templateId != null && templateId <= 0) {
            errors.add("awx_template_id", "must be a positive id");
        }
        if (operation == Operation.UPGRADE || releaseVersion != null) {
            check(errors, "release_version", InputRules.releaseVersion(releaseVersion));
        }
        if (operation == Operation.DECOMMISSION && releaseVersion != null) {
            errors.add("release_version", "is not used by decommission; leave it out");
        }
        errors.throwIfAny();
        extraVars = JsonValues.copyMap(extraVars);
    }

    /**
     * @param tenantId the tenant
     * @return a builder for a provision request ({@code requested_by} "system", no extra vars)
     */
    public static Builder builder(String tenantId) {
        return new Builder(tenantId);
    }

    /**
     * @param tenantId the tenant
     * @param mode where it runs
     * @return a plain provision request
     * @throws InvalidRequestException as the canonical constructor
     */
    public static ProvisioningRequest provision(String tenantId, DeploymentMode mode) {
        return builder(tenantId).deploymentMode(mode).build();
    }

    /**
     * @param otherTenantId another tenant
     * @return the same request for another tenant
     * @throws InvalidRequestException when the tenant id is not valid
     */
    public ProvisioningRequest withTenant(String otherTenantId) {
        return new ProvisioningRequest(otherTenantId, operation, deploymentMode, extraVars, connectionProfile,
                requestedBy, idempotencyKey, templateId, releaseVersion);
    }

    @Override
    public String toString() {
        return "ProvisioningRequest[tenantId=" + tenantId + ", operation=" + operation + ", deploymentMode="
                + deploymentMode + ", extraVars=" + extraVars.keySet() + ", requestedBy=" + requestedBy + "]";
    }

    private static void check(FieldErrors errors, String field, @Nullable String problem) {
        if (problem != null) {
            errors.add(field, problem);
        }
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final String tenantId;
        private Operation operation = Operation.PROVISION;
        private @Nullable DeploymentMode deploymentMode;
        private final Map<String, Object> extraVars = new LinkedHashMap<>();
        private @Nullable ConnectionProfile connectionProfile;
        private String requestedBy = DEFAULT_REQUESTED_BY;
        private @Nullable String idempotencyKey;
        private @Nullable Long templateId;
        private @Nullable String releaseVersion;

        private Builder(String tenantId) {
            this.tenantId = tenantId;
        }

        /** @param operation the operation (default provision) @return this */
        public Builder operation(Operation operation) {
            this.operation = operation;
            return this;
        }

        /** @param deploymentMode where the tenant runs (required: null fails {@link #build()}) @return this */
        public Builder deploymentMode(@Nullable DeploymentMode deploymentMode) {
            this.deploymentMode = deploymentMode;
            return this;
        }

        /** @param extraVars added to the extra vars so far @return this */
        public Builder extraVars(Map<String, ?> extraVars) {
            this.extraVars.putAll(extraVars);
            return this;
        }

        /** @param name an extra var's name @param value its JSON value @return this */
        public Builder extraVar(String name, @Nullable Object value) {
            this.extraVars.put(name, value);
            return this;
        }

        /** @param connectionProfile the customer-hosted target @return this */
        public Builder connectionProfile(@Nullable ConnectionProfile connectionProfile) {
            this.connectionProfile = connectionProfile;
            return this;
        }

        /** @param requestedBy who asks @return this */
        public Builder requestedBy(String requestedBy) {
            this.requestedBy = requestedBy;
            return this;
        }

        /** @param idempotencyKey the caller's key, or null @return this */
        public Builder idempotencyKey(@Nullable String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        /** @param templateId the template to use instead of the configured one, or null @return this */
        public Builder templateId(@Nullable Long templateId) {
            this.templateId = templateId;
            return this;
        }

        /** @param releaseVersion the release to install, or null @return this */
        public Builder releaseVersion(@Nullable String releaseVersion) {
            this.releaseVersion = releaseVersion;
            return this;
        }

        /**
         * @return the request
         * @throws InvalidRequestException naming every bad field
         */
        // the canonical constructor reports a missing deployment mode as a field error (InvalidRequestException)
        @SuppressWarnings("NullAway")
        public ProvisioningRequest build() {
            return new ProvisioningRequest(tenantId, operation, deploymentMode, extraVars, connectionProfile,
                    requestedBy, idempotencyKey, templateId, releaseVersion);
        }
    }
}
