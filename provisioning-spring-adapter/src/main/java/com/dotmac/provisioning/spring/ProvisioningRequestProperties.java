package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.policy.RequestVariable;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a request may choose ({@code provisioning.request.*}): the extra vars it may set and the templates it may
 * name. Without {@code extra-vars} the default allow-list applies ({@code plan} and {@code region}); declaring any
 * replaces it. Define a {@link RequestVariables} or {@link TemplateOverrides} bean to take over completely.
 *
 * <pre>
 * provisioning.request.extra-vars.plan.type=string
 * provisioning.request.extra-vars.plan.allowed-values=starter,gold,platinum
 * provisioning.request.extra-vars.seats.type=integer
 * provisioning.request.extra-vars.seats.min=1
 * provisioning.request.template-overrides.upgrade=31,32
 * </pre>
 */
@ConfigurationProperties(prefix = "provisioning.request")
public class ProvisioningRequestProperties {
    /** The request extra vars the platform accepts, by name; none declared means plan and region. */
    private Map<String, Variable> extraVars = new LinkedHashMap<>();

    /** Templates a request may name instead of the configured one, per operation (default: none). */
    private final TemplateOverridesProperties templateOverrides = new TemplateOverridesProperties();

    public Map<String, Variable> getExtraVars() {
        return extraVars;
    }

    public void setExtraVars(Map<String, Variable> extraVars) {
        this.extraVars = extraVars;
    }

    public TemplateOverridesProperties getTemplateOverrides() {
        return templateOverrides;
    }

    /**
     * @return the declared allow-list, or {@link RequestVariables#DEFAULT} when nothing is declared
     * @throws IllegalArgumentException naming a declaration that is not allowed (a reserved name, a bad pattern)
     */
    RequestVariables toRequestVariables() {
        if (extraVars.isEmpty()) {
            return RequestVariables.DEFAULT;
        }
        List<RequestVariable> declared = new ArrayList<>();
        extraVars.forEach((name, v) -> declared.add(v.toDeclaration(name)));
        return RequestVariables.of(declared);
    }

    /** @return the template overrides */
    TemplateOverrides toTemplateOverrides() {
        return TemplateOverrides.builder()
                .allow(Operation.PROVISION, templateOverrides.getProvision())
                .allow(Operation.UPGRADE, templateOverrides.getUpgrade())
                .allow(Operation.DECOMMISSION, templateOverrides.getDecommission())
                .build();
    }

    /** One declared request variable. */
    public static class Variable {
        /** Its JSON type. */
        private RequestVariable.Type type = RequestVariable.Type.STRING;

        /** A regular expression its strings (or list items) must match as a whole. */
        private @Nullable String pattern;

        /** The only strings (or list items) accepted. */
        private List<String> allowedValues = new ArrayList<>();

        /** The longest string (or list item), in characters. */
        private int maxLength = RequestVariable.DEFAULT_MAX_LENGTH;

        /** The most items of a string-list. */
        private int maxItems = RequestVariable.DEFAULT_MAX_ITEMS;

        /** Whether strings may hold line feeds and tabs. */
        private boolean multiLine;

        /** The smallest integer. */
        private @Nullable Long min;

        /** The largest integer. */
        private @Nullable Long max;

        RequestVariable toDeclaration(String name) {
            return new RequestVariable(name, type, pattern, allowedValues, maxLength, maxItems, multiLine, min, max);
        }

        public RequestVariable.Type getType() {
            return type;
        }

        public void setType(RequestVariable.Type type) {
            this.type = type;
        }

        public @Nullable String getPattern() {
            return pattern;
        }

        public void setPattern(@Nullable String pattern) {
            this.pattern = pattern;
        }

        public List<String> getAllowedValues() {
            return allowedValues;
        }

        public void setAllowedValues(List<String> allowedValues) {
            this.allowedValues = allowedValues;
        }

        public int getMaxLength() {
            return maxLength;
        }

        public void setMaxLength(int maxLength) {
            this.maxLength = maxLength;
        }

        public int getMaxItems() {
            return maxItems;
        }

        public void setMaxItems(int maxItems) {
            this.maxItems = maxItems;
        }

        public boolean isMultiLine() {
            return multiLine;
        }

        public void setMultiLine(boolean multiLine) {
            this.multiLine = multiLine;
        }

        public @Nullable Long getMin() {
            return min;
        }

        public void setMin(@Nullable Long min) {
            this.min = min;
        }

        public @Nullable Long getMax() {
            return max;
        }

        public void setMax(@Nullable Long max) {
            this.max = max;
        }
    }

    /** Template ids a request may name, per operation. */
    public static class TemplateOverridesProperties {
        /** Templates a provision request may name. */
        private List<Long> provision = new ArrayList<>();

        /** Templates an upgrade request may name. */
        private List<Long> upgrade = new ArrayList<>();

        /** Templates a decommission request may name. */
        private List<Long> decommission = new ArrayList<>();

        public List<Long> getProvision() {
            return provision;
        }

        public void setProvision(List<Long> provision) {
            this.provision = provision;
        }

        public List<Long> getUpgrade() {
            return upgrade;
        }

        public void setUpgrade(List<Long> upgrade) {
            this.upgrade = upgrade;
        }

        public List<Long> getDecommission() {
            return decommission;
        }

        public void setDecommission(List<Long> decommission) {
            this.decommission = decommission;
        }
    }
}
