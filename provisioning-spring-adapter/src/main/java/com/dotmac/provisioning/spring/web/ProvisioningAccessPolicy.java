package com.dotmac.provisioning.spring.web;

/**
 * Decides who may do what to which tenant's jobs through the REST API, and who they are. Implementations must be
 * thread-safe. The callback endpoint does not use it: it authenticates by the job's token only.
 *
 * <p>The default ({@link SpringSecurityAccessPolicy}) checks the read and write authorities, then a
 * {@link TenantAccessRule} bean when the host defines one (e.g. to let a tenant's own admins see only their tenant).
 */
public interface ProvisioningAccessPolicy {
    /**
     * The tenant id a fleet-wide call is authorised for ({@value}): rollouts act on many tenants at once, so a
     * {@link TenantAccessRule} that narrows callers to their own tenants refuses them unless it grants this id.
     */
    String FLEET = "*";

    /**
     * @param action what the call does
     * @param tenantId the tenant whose jobs it concerns (from the path, not yet known to exist), or {@link #FLEET}
     *     for a rollout call
     * @return the caller
     * @throws ApiAccessException 401 when nobody is authenticated, 403 when the caller may not do this to this tenant
     */
    ApiCaller authorize(ApiAction action, String tenantId);
}
