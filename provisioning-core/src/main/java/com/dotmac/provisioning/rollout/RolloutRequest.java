package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.InputRules;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for: run one operation across many tenants, following a {@link RolloutPlan}. Immutable and
 * thread-safe; build one with {@link #builder(Operation)}. Every problem of the member jobs' spec, the tenants and
 * the plan is reported at once as an {@link InvalidRequestException} naming the fields by their REST names.
 *
 * @param jobs what every member's job is made of
 * @param tenants which tenants
 * @param plan canary, waves, cap, failure threshold and pause
 * @param idempotencyKey a caller's key: a second request with the same key returns the rollout the first one
 *     created, and stores nothing (so a request whose answer was lost, e.g. to a crash, can be made again); or null
 */
public record RolloutRequest(MemberJobSpec jobs, TenantSelection tenants, RolloutPlan plan,
        @Nullable String idempotencyKey) {

    /**
     * @throws InvalidRequestException naming {@code tenants} or {@code plan} when missing, {@code idempotency_key}
     *     when longer than {@value InputRules#MAX_TEXT_LENGTH} characters or not printable
     */
    public RolloutRequest {
        FieldErrors errors = new FieldErrors();
        if (jobs == null) {
            errors.add("operation", "is required");
        }
        if (tenants == null) {
            errors.add("tenants", "is required: a list of tenant ids, or a selection by status");
        }
        if (plan == null) {
            errors.add("plan", "is required");
        }
        checkKey(idempotencyKey, errors);
        errors.throwIfAny();
    }

    private static void checkKey(@Nullable String key, FieldErrors errors) {
        String problem = key == null ? null : InputRules.text(key, InputRules.MAX_TEXT_LENGTH);
        if (problem != null) {
            errors.add("idempotency_key", problem);
        }
    }

    /**
     * A request without an idempotency key.
     *
     * @param jobs what every member's job is made of
     * @param tenants which tenants
     * @param plan canary, waves, cap, failure threshold and pause
     * @throws InvalidRequestException naming {@code tenants} or {@code plan} when missing
     */
    public RolloutRequest(MemberJobSpec jobs, TenantSelection tenants, RolloutPlan plan) {
        this(jobs, tenants, plan, null);
    }

    /**
     * @param operation the operation every member runs
     * @return a builder ({@code requested_by} "system", no extra vars, the default plan); name the tenants
     */
    public static Builder builder(Operation operation) {
        return new Builder(operation);
    }

    @Override
    public String toString() {
        return "RolloutRequest[" + jobs + ", tenants=" + (tenants instanceof TenantSelection.Listed l
                ? l.tenantIds().size() + " listed" : tenants) + ", plan=" + plan + (idempotencyKey == null ? "" : ", idempotency key set") + "]";
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
        private @Nullable String idempotencyKey;

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
         * @param key the caller's key (the same key returns the rollout created first), or null
         * @return this
         */
        public Builder idempotencyKey(@Nullable String key) {
            this.idempotencyKey = key;
            return this;
        }

        /**
         * @return the request
         * @throws InvalidRequestException naming every bad field
         */
        // every missing part is reported above as a field error (InvalidRequestException)
        @SuppressWarnings("NullAway")
        public RolloutRequest build() {
            FieldErrors errors = new FieldErrors();
            MemberJobSpec jobs = null;
            try {
                jobs = new MemberJobSpec(operation, deploymentMode, releaseVersion, extraVars, templateId,
                        requestedBy);
            } catch (InvalidRequestException e) {
                for (FieldError error : e.fieldErrors()) {
                    errors.add(error.field(), error.message());
                }
            }
            if (tenants == null) {
                errors.add("tenants", "is required: a list of tenant ids, or a selection by status");
            }
            checkKey(idempotencyKey, errors);
            errors.throwIfAny();
            return new RolloutRequest(jobs, tenants, plan, idempotencyKey);
        }
    }
}
