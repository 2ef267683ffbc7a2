package com.dotmac.provisioning.spring.web;

import org.springframework.security.core.Authentication;

/**
 * A host's rule that narrows the REST API to the tenants a caller may see, checked after the read or write
 * authority. Define it as a bean and {@link SpringSecurityAccessPolicy} uses it; without one, the authorities alone
 * decide. Rollouts act on many tenants at once: their calls are checked with the tenant id
 * {@link ProvisioningAccessPolicy#FLEET} ({@code *}), so a rule that narrows callers to their own tenants refuses them
 * rollouts unless it grants that id. Implementations must be thread-safe.
 *
 * <pre>{@code
 * @Bean
 * TenantAccessRule ownTenantOnly() {      // a tenant's admins carry the authority "tenant:<id>"
 *     return (auth, action, tenantId) -> auth.getAuthorities().stream()
 *             .anyMatch(a -> a.getAuthority().equals("platform:operator") || a.getAuthority().equals("tenant:" + tenantId));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TenantAccessRule {
    /** Every authenticated caller with the authority may act on every tenant (today's behaviour). */
    TenantAccessRule ALL_TENANTS = (authentication, action, tenantId) -> true;

    /**
     * @param authentication the caller, authenticated by the host's security and holding the action's authority
     * @param action what the call does
     * @param tenantId the tenant whose jobs it concerns
     * @return whether the caller may do it to this tenant (false answers 403)
     */
    boolean permits(Authentication authentication, ApiAction action, String tenantId);
}
