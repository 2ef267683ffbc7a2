package com.dotmac.provisioning.policy;

import com.dotmac.provisioning.Operation;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which automation templates a request may name instead of the configured one ({@code awx_template_id}), per
 * operation. By default none: a request that names a template is refused with a message saying how to allow it.
 * {@code retry()} keeps the override of the job it repeats, checked again against this list. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * TemplateOverrides.builder().allow(Operation.UPGRADE, 31, 32).build();   // two canary upgrade templates
 * }</pre>
 *
 * In Spring Boot: {@code provisioning.request.template-overrides.upgrade=31,32}.
 */
public final class TemplateOverrides {
    private static final TemplateOverrides NONE = new TemplateOverrides(Map.of());

    private final Map<Operation, Set<Long>> allowed;

    private TemplateOverrides(Map<Operation, Set<Long>> allowed) {
        EnumMap<Operation, Set<Long>> copy = new EnumMap<>(Operation.class);
        allowed.forEach((operation, ids) -> copy.put(operation, Set.copyOf(ids)));
        this.allowed = copy;
    }

    /** @return the default: no request may name a template */
    public static TemplateOverrides none() {
        return NONE;
    }

    /** @return a builder of an allow-list */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param operation an operation
     * @return the template ids a request for it may name, sorted; empty when none
     */
    public List<Long> allowed(Operation operation) {
        return List.copyOf(new TreeSet<>(allowed.getOrDefault(operation, Set.of())));
    }

    /**
     * @param operation the request's operation
     * @param templateId the template the request names, or null for the configured one
     * @return why it is refused (for the field {@code awx_template_id}), or null when it is allowed
     */
    public @Nullable String check(Operation operation, @Nullable Long templateId) {
        if (templateId == null || allowed.getOrDefault(operation, Set.of()).contains(templateId)) {
            return null;
        }
        List<Long> ids = allowed(operation);
        return "template " + templateId + " may not be chosen for " + operation.wireName() + " (" + (ids.isEmpty()
                ? "this platform allows no template override for it"
                : "allowed: " + String.join(", ", ids.stream().map(String::valueOf).toList()))
                + "); leave it out to use the configured template, or let the host allow it with "
                + "provisioning.request.template-overrides." + operation.wireName() + " (TemplateOverrides)";
    }

    @Override
    public String toString() {
        return "TemplateOverrides" + allowed;
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final Map<Operation, Set<Long>> allowed = new EnumMap<>(Operation.class);

        private Builder() {
        }

        /**
         * @param operation the operation
         * @param templateIds templates a request for it may name
         * @return this
         * @throws IllegalArgumentException when an id is not positive
         */
        public Builder allow(Operation operation, long... templateIds) {
            for (long id : templateIds) {
                allow(operation, List.of(id));
            }
            return this;
        }

        /**
         * @param operation the operation
         * @param templateIds templates a request for it may name
         * @return this
         * @throws IllegalArgumentException when an id is not positive
         */
        public Builder allow(Operation operation, Collection<Long> templateIds) {
            for (long id : templateIds) {
                if (id <= 0) {
                    throw new IllegalArgumentException("template override for " + operation.wireName()
                            + ": ids are positive, not " + id);
                }
                allowed.computeIfAbsent(operation, k -> new TreeSet<>()).add(id);
            }
            return this;
        }

        /** @return the allow-list */
        public TemplateOverrides build() {
            return new TemplateOverrides(allowed);
        }
    }
}
