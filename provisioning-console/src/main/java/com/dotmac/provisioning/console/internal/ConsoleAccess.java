package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.spring.web.ApiAccessException;
import com.dotmac.provisioning.spring.web.ApiAction;
import com.dotmac.provisioning.spring.web.ApiCaller;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.util.Objects;

/**
 * Who may look at and act on what in the console: the starter's {@link ProvisioningAccessPolicy} (the read authority
 * to look, the write authority to act, then the host's tenant rule). Thread-safe.
 */
final class ConsoleAccess {
    private final ProvisioningAccessPolicy policy;

    /** @param policy the host's access policy */
    ConsoleAccess(ProvisioningAccessPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param action what the caller wants to do
     * @param tenantId the tenant, or {@link ProvisioningAccessPolicy#FLEET} for every tenant
     * @return the caller
     * @throws ApiAccessException when the caller may not
     */
    public ApiCaller require(ApiAction action, String tenantId) {
        return policy.authorize(action, tenantId);
    }

    /**
     * @param action what the caller would do
     * @param tenantId the tenant, or {@link ProvisioningAccessPolicy#FLEET}
     * @return whether the caller may (the page shows the button only then)
     */
    public boolean may(ApiAction action, String tenantId) {
        try {
            policy.authorize(action, tenantId);
            return true;
        } catch (ApiAccessException e) {
            return false;
        }
    }
}
