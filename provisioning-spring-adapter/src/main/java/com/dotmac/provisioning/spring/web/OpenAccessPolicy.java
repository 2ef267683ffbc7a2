package com.dotmac.provisioning.spring.web;

/** No access control ({@code provisioning.web.security=none}): every caller is {@code anonymous}. For demos only. */
public final class OpenAccessPolicy implements ProvisioningAccessPolicy {
    @Override
    public String authorize(boolean write) {
        return "anonymous";
    }
}
