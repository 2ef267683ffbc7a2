package com.dotmac.provisioning.spring.web;

/**
 * Decides who may read and write provisioning jobs through the REST API, and who they are. Implementations must be
 * thread-safe. The callback endpoint does not use it: it authenticates by the job's token only.
 */
public interface ProvisioningAccessPolicy {
    /**
     * @param write whether the call changes something (create, cancel, retry)
     * @return the caller's name, stored as {@code requested_by}
     * @throws ApiAccessException 401 when nobody is authenticated, 403 when the authority is missing
     */
    String authorize(boolean write);
}
