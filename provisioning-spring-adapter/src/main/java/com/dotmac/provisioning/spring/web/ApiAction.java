package com.dotmac.provisioning.spring.web;

/**
 * What a REST call does to a tenant's jobs, or to the fleet's rollouts or webhook dead letters; the {@link ProvisioningAccessPolicy} decides
 * per action and tenant (for rollouts, the tenant {@link ProvisioningAccessPolicy#FLEET}).
 */
public enum ApiAction {
    /** List a tenant's jobs, read one, read its events. */
    READ,
    /** Request provisioning, upgrade or decommission. */
    REQUEST,
    /** Cancel a job. */
    CANCEL,
    /** Retry a failed, cancelled or timed-out job. */
    RETRY,
    /** List rollouts, read one, its tenants and its events (fleet-wide: tenant {@link ProvisioningAccessPolicy#FLEET}). */
    READ_ROLLOUTS,
    /** Start, pause, resume or abort a rollout (fleet-wide: tenant {@link ProvisioningAccessPolicy#FLEET}). */
    STEER_ROLLOUTS,
    /** List webhook dead letters (fleet-wide: tenant {@link ProvisioningAccessPolicy#FLEET}). */
    READ_WEBHOOKS,
    /** Redeliver a webhook dead letter (fleet-wide: tenant {@link ProvisioningAccessPolicy#FLEET}). */
    REDELIVER_WEBHOOKS;

    /** @return whether the action changes something (needs the write authority) */
    public boolean isWrite() {
        return this != READ && this != READ_ROLLOUTS && this != READ_WEBHOOKS;
    }
}
