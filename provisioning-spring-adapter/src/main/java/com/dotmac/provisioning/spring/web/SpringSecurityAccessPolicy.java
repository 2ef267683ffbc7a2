package com.dotmac.provisioning.spring.web;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Access by the authorities of the Spring Security authentication that the host's own security chain established:
 * reads need the read or the write authority, writes the write authority. Thread-safe.
 */
public final class SpringSecurityAccessPolicy implements ProvisioningAccessPolicy {
    private final String readAuthority;
    private final String writeAuthority;

    /**
     * @param readAuthority e.g. {@code platform:tenants:read}
     * @param writeAuthority e.g. {@code platform:tenants:write}
     */
    public SpringSecurityAccessPolicy(String readAuthority, String writeAuthority) {
        this.readAuthority = readAuthority;
        this.writeAuthority = writeAuthority;
    }

    @Override
    public String authorize(boolean write) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            throw new ApiAccessException(401, "authentication is required");
        }
        boolean allowed = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(a -> a.equals(writeAuthority) || (!write && a.equals(readAuthority)));
        if (!allowed) {
            throw new ApiAccessException(403, "the authority '" + (write ? writeAuthority : readAuthority)
                    + "' is required");
        }
        return auth.getName();
    }
}
