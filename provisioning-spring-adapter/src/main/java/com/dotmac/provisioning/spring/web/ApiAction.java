package com.dotmac.provisioning.spring.web;

/** What a REST call does to a tenant's jobs; the {@link ProvisioningAccessPolicy} decides per action and tenant. */
public enum ApiAction {
    /** List a tenant's jobs, read one, read its events. */
    READ,
    /** Request provisioning, upgrade or decommission. */
    REQUEST,
    /** Cancel a job. */
    CANCEL,
    /** Retry a failed, cancelled or timed-out job. */
    RETRY;

    /** @return whether the action changes something (needs the write authority) */
    public boolean isWrite() {
        return this != READ;
    }
}
