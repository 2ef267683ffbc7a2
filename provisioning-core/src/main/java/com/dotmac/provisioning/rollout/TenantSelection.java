package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.InputRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which tenants a rollout covers: an explicit list of ids ({@link Listed}), or every tenant the
 * {@link com.dotmac.provisioning.spi.TenantDirectory} reports in one status ({@link InStatus}). Immutable and
 * thread-safe.
 */
public sealed interface TenantSelection {

    /**
     * @param tenantIds the tenants, in the order their jobs start (the canary first)
     * @return the selection
     * @throws com.dotmac.provisioning.InvalidRequestException naming {@code tenants} when the list is empty, too
     *     long, or holds a malformed or repeated id (each listed)
     */
    static TenantSelection of(List<String> tenantIds) {
        return new Listed(tenantIds);
    }

    /**
     * @param status a tenant status, e.g. {@code provisioned}
     * @return the selection of every tenant in that status
     * @throws com.dotmac.provisioning.InvalidRequestException naming {@code selection.status} when it is not a
     *     well-formed status
     */
    static TenantSelection inStatus(String status) {
        return new InStatus(status);
    }

    /**
     * An explicit list of tenants, in the order their jobs start.
     *
     * @param tenantIds distinct, well-formed tenant ids; 1 to {@link RolloutPlan#MAX_MEMBERS}
     */
    record Listed(List<String> tenantIds) implements TenantSelection {
        /** @throws com.dotmac.provisioning.InvalidRequestException naming {@code tenants} */
        public Listed {
            FieldErrors errors = new FieldErrors();
            if (tenantIds == null || tenantIds.isEmpty()) {
                errors.add("tenants", "is empty: name at least one tenant, or select tenants by status");
                errors.throwIfAny();
            }
            if (tenantIds.size() > RolloutPlan.MAX_MEMBERS) {
                errors.add("tenants", "has " + tenantIds.size() + " tenants; a rollout takes at most "
                        + RolloutPlan.MAX_MEMBERS);
                errors.throwIfAny();
            }
            List<String> malformed = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            Set<String> repeated = new LinkedHashSet<>();
            for (@Nullable String id : tenantIds) {
                if (id == null || InputRules.tenantId(id) != null) {
                    malformed.add(id == null ? "null" : "'" + bounded(id) + "'");
                } else if (!seen.add(id)) {
                    repeated.add(id);
                }
            }
            if (!malformed.isEmpty()) {
                errors.add("tenants", "holds malformed tenant ids (letters, digits, '.', '_', ':' and '-', at most"
                        + " 64): " + first(malformed));
            }
            if (!repeated.isEmpty()) {
                errors.add("tenants", "names tenants more than once: " + first(List.copyOf(repeated)));
            }
            errors.throwIfAny();
            tenantIds = List.copyOf(tenantIds);
        }
    }

    /**
     * Every tenant the directory reports in one status, in the directory's order.
     *
     * @param status the tenant status (wire form), e.g. {@code provisioned}
     */
    record InStatus(String status) implements TenantSelection {
        private static final Pattern STATUS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

        /** @throws com.dotmac.provisioning.InvalidRequestException naming {@code selection.status} */
        public InStatus {
            FieldErrors errors = new FieldErrors();
            if (status == null || !STATUS.matcher(status).matches()) {
                errors.add("selection.status", "must be a tenant status such as " + TenantStatus.PROVISIONED
                        + " (letters, digits, '.', '_', ':' and '-', at most 64), not "
                        + (status == null ? "null" : "'" + bounded(status) + "'"));
            }
            errors.throwIfAny();
        }
    }

    private static String bounded(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }

    private static String first(List<String> values) {
        int shown = Math.min(values.size(), 20);
        return String.join(", ", values.subList(0, shown)) + (values.size() > shown ? " and "
                + (values.size() - shown) + " more" : "");
    }
}
