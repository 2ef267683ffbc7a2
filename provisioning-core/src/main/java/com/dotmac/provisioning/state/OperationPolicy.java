package com.dotmac.provisioning.state;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantStatus;
import java.util.Set;

/**
 * Decides whether an operation may start while a tenant has a given status. Implementations must be thread-safe.
 * An active job always conflicts, whatever the policy says.
 */
@FunctionalInterface
public interface OperationPolicy {
    /**
     * The default: provision is refused for a tenant that is {@code provisioned}, {@code active} or
     * {@code decommissioned}; upgrade needs {@code provisioned}, {@code active} or {@code failed_upgrade};
     * decommission is refused for {@code decommissioned}.
     */
    OperationPolicy DEFAULT = new OperationPolicy() {
        private final Set<String> provisionRefused =
                Set.of(TenantStatus.PROVISIONED, TenantStatus.ACTIVE, TenantStatus.DECOMMISSIONED);
        private final Set<String> upgradeAllowed =
                Set.of(TenantStatus.PROVISIONED, TenantStatus.ACTIVE, TenantStatus.FAILED_UPGRADE);

        @Override
        public boolean allows(Operation operation, String tenantStatus) {
            return switch (operation) {
                case PROVISION -> !provisionRefused.contains(tenantStatus);
                case UPGRADE -> upgradeAllowed.contains(tenantStatus);
                case DECOMMISSION -> !TenantStatus.DECOMMISSIONED.equals(tenantStatus);
            };
        }

        @Override
        public String toString() {
            return "OperationPolicy.DEFAULT";
        }
    };

    /**
     * @param operation the requested operation
     * @param tenantStatus the tenant's current status as its directory reports it
     * @return whether the operation may start
     */
    boolean allows(Operation operation, String tenantStatus);
}
