package com.dotmac.provisioning.spring.web;

/**
 * No access control ({@code provisioning.web.security=none}): every caller is {@code anonymous} and may do anything
 * to every tenant. For demos only.
 */
public final class OpenAccessPolicy implements ProvisioningAccessPolicy {
    @Override
    public ApiCaller authorize(ApiAction action, String tenantId) {
        return new ApiCaller("anonymous", true);
    }
}
