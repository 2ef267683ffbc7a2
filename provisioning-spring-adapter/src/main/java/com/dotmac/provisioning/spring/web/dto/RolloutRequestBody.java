package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.WireNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /provisioning/rollouts}. The JSON mapper checks the shape (unknown fields and wrong types
 * are refused, naming the field); {@link #toRequest} checks the values, reporting every bad field at once by its
 * REST name ({@code tenants}, {@code selection.status}, {@code plan.waves}, {@code plan.max_parallel}, ...).
 *
 * @param operation {@code upgrade}, {@code provision} or {@code decommission} (required)
 * @param tenants the tenants by id, in the order their jobs start; or null with a {@code selection}
 * @param selection the tenants by status; or null with {@code tenants}
 * @param deploymentMode for a provision rollout: {@code dotmac_hosted}; otherwise left out
 * @param releaseVersion the release an upgrade installs
 * @param extraVars the playbook variables the host declared, keys as sent, the same for every tenant
 * @param awxTemplateId a template override, allowed only from the host's allow-list
 * @param plan canary, waves, cap, failure threshold and pause; null for the defaults
 */
public record RolloutRequestBody(@Nullable String operation, @Nullable List<String> tenants,
        @Nullable Selection selection, @Nullable String deploymentMode, @Nullable String releaseVersion,
        @Nullable Map<String, Object> extraVars, @Nullable Long awxTemplateId, @Nullable Plan plan)
        implements ApiBody {

    /**
     * The tenants by status.
     *
     * @param status a tenant status, e.g. {@code provisioned}
     */
    public record Selection(@Nullable String status) {
    }

    /**
     * How the rollout proceeds; every field is optional.
     *
     * @param canary tenants in the first wave (default 0: none)
     * @param waves the waves after the canary (default: one wave)
     * @param maxParallel the rollout's jobs in flight at once, 1 to 10,000 (default 10)
     * @param failureThreshold when failures pause the rollout (default: the first failure)
     * @param pauseBetweenWaves the wait between waves: an ISO-8601 duration such as {@code PT10M}, or a number of
     *     seconds (default none)
     */
    public record Plan(@Nullable Integer canary, @Nullable Waves waves, @Nullable Integer maxParallel,
            @Nullable Threshold failureThreshold, @Nullable Object pauseBetweenWaves) {
    }

    /**
     * The waves after the canary: by size, or by percentage (adding up to 100), not both.
     *
     * @param sizes tenants per wave, adding up to the tenants after the canary
     * @param percents percentage of the tenants after the canary per wave, adding up to 100
     */
    public record Waves(@Nullable List<Integer> sizes, @Nullable List<Integer> percents) {
    }

    /**
     * When failures pause the rollout: one of the two.
     *
     * @param maxFailures failed jobs tolerated (0 or more)
     * @param maxFailedPercent failed share of finished jobs tolerated, 0 to 100
     */
    public record Threshold(@Nullable Integer maxFailures, @Nullable Integer maxFailedPercent) {
    }

    /**
     * @param requestedBy the caller's name
     * @return the rollout request this body asks for, without an idempotency key
     * @throws InvalidRequestException naming every bad field
     */
    public RolloutRequest toRequest(String requestedBy) {
        return toRequest(requestedBy, null);
    }

    /**
     * @param requestedBy the caller's name
     * @param idempotencyKey the {@code Idempotency-Key} header, if any
     * @return the rollout request this body asks for (its tenants are checked against the directory when it starts)
     * @throws InvalidRequestException naming every bad field
     */
    public RolloutRequest toRequest(String requestedBy, @Nullable String idempotencyKey) {
        FieldErrors errors = new FieldErrors();
        Operation op = enumValue(operation, "operation", Operation.class, "operation", errors);
        DeploymentMode mode = enumValue(deploymentMode, "deployment_mode", DeploymentMode.class, "deployment mode",
                errors);
        TenantSelection chosen = selection(errors);
        RolloutPlan rolloutPlan = plan(errors);
        RolloutRequest request = null;
        if (op == null) {
            if (operation == null) {
                errors.add("operation", "is required (one of " + WireNames.list(Operation.class) + ")");
            }
        } else {
            List<FieldError> bodyErrors = errors.list();
            RolloutRequest.Builder builder = RolloutRequest.builder(op).deploymentMode(mode)
                    .releaseVersion(releaseVersion).extraVars(extraVars == null ? Map.of() : extraVars)
                    .templateId(awxTemplateId).requestedBy(requestedBy).idempotencyKey(idempotencyKey);
            if (chosen != null) {
                builder.tenants(chosen);
            }
            if (rolloutPlan != null) {
                builder.plan(rolloutPlan);
            }
            try {
                request = builder.build();
            } catch (InvalidRequestException e) {
                // the tenants' and the mode's problems are reported above already
                e.fieldErrors().stream()
                        .filter(fe -> bodyErrors.stream().noneMatch(b -> b.field().equals(fe.field())))
                        .filter(fe -> !fe.field().equals("tenants") || (chosen != null))
                        .forEach(fe -> errors.add(fe.field(), fe.message()));
            }
        }
        errors.throwIfAny();
        return Objects.requireNonNull(request, "every problem is reported above");
    }

    private @Nullable TenantSelection selection(FieldErrors errors) {
        if (tenants != null && selection != null) {
            errors.add("tenants", "give either tenants (a list of ids) or selection (by status), not both");
            return null;
        }
        if (tenants == null && selection == null) {
            errors.add("tenants", "is required: a list of tenant ids, or a selection by status");
            return null;
        }
        if (tenants != null) {
            return collect(() -> TenantSelection.of(tenants), errors);
        }
        Selection s = Objects.requireNonNull(selection);
        return collect(() -> TenantSelection.inStatus(Objects.requireNonNullElse(s.status(), "")), errors);
    }

    private @Nullable RolloutPlan plan(FieldErrors errors) {
        if (plan == null) {
            return RolloutPlan.builder().build();
        }
        RolloutPlan.Builder builder = RolloutPlan.builder();
        set(plan.canary(), builder::canary);
        set(plan.maxParallel(), builder::maxParallel);
        Waves waves = plan.waves();
        if (waves != null) {
            if (waves.sizes() == null && waves.percents() == null) {
                errors.add("plan.waves", "give sizes or percents");
            }
            set(waves.sizes(), builder::waveSizes);
            set(waves.percents(), builder::wavePercents);
        }
        Threshold threshold = plan.failureThreshold();
        if (threshold != null) {
            FailureThreshold t = collect(() -> new FailureThreshold(
                    Objects.requireNonNullElse(threshold.maxFailures(), -1),
                    Objects.requireNonNullElse(threshold.maxFailedPercent(), -1)), errors);
            set(t, builder::failureThreshold);
        }
        Duration pause = duration(plan.pauseBetweenWaves(), "plan.pause_between_waves", errors);
        builder.pauseBetweenWaves(pause);
        return collect(builder::build, errors);
    }

    /** @return an ISO-8601 duration or a whole number of seconds; null (no pause) when absent or refused */
    private static @Nullable Duration duration(@Nullable Object value, String field, FieldErrors errors) {
        if (value == null) {
            return null;
        }
        String expected = "must be an ISO-8601 duration such as PT10M, or a whole number of seconds";
        try {
            if (value instanceof String text) {
                return Duration.parse(text.trim());
            }
            if (value instanceof Integer || value instanceof Long) {
                return Duration.ofSeconds(((Number) value).longValue());
            }
            if (value instanceof BigInteger big) {
                return Duration.ofSeconds(big.longValueExact());
            }
            if (value instanceof BigDecimal decimal) {
                return Duration.ofSeconds(decimal.longValueExact());
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            errors.add(field, expected);
            return null;
        }
        errors.add(field, expected);
        return null;
    }

    private static <T> void set(@Nullable T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static <T> @Nullable T collect(java.util.function.Supplier<T> build, FieldErrors errors) {
        try {
            return build.get();
        } catch (InvalidRequestException e) {
            e.fieldErrors().forEach(fe -> errors.add(fe.field(), fe.message()));
            return null;
        }
    }

    private static <E extends Enum<E>> @Nullable E enumValue(@Nullable String value, String field, Class<E> type,
            String what, FieldErrors errors) {
        if (value == null) {
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
