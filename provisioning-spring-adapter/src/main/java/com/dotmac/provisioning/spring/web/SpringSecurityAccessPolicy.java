package com.dotmac.provisioning.spring.web;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Access by the authorities of the Spring Security authentication that the host's own security chain established:
 * reads need the read or the write authority, writes the write authority; then the host's {@link TenantAccessRule}
 * decides per tenant. Connection profiles are shown only to callers with the write authority. Thread-safe.
 */
public final class SpringSecurityAccessPolicy implements ProvisioningAccessPolicy {
    /** Default authority to read jobs ({@code provisioning.web.read-authority}): {@value}. */
    public static final String DEFAULT_READ_AUTHORITY = "platform:tenants:read";
    /** Default authority to create, cancel and retry jobs ({@code provisioning.web.write-authority}): {@value}. */
    public static final String DEFAULT_WRITE_AUTHORITY = "platform:tenants:write";

    private final String readAuthority;
    private final String writeAuthority;
    private final TenantAccessRule tenantRule;

    /**
     * @param readAuthority e.g. {@code platform:tenants:read}
     * @param writeAuthority e.g. {@code platform:tenants:write}
     */
    public SpringSecurityAccessPolicy(String readAuthority, String writeAuthority) {
        this(readAuthority, writeAuthority, TenantAccessRule.ALL_TENANTS);
    }

    /**
     * @param readAuthority e.g. {@code platform:tenants:read}
     * @param writeAuthority e.g. {@code platform:tenants:write}
     * @param tenantRule which tenants a caller may act on
     */
    public SpringSecurityAccessPolicy(String readAuthority, String writeAuthority, TenantAccessRule tenantRule) {
        this.readAuthority = readAuthority;
        this.writeAuthority = writeAuthority;
        this.tenantRule = Objects.requireNonNull(tenantRule, "tenantRule");
    }

    @Override
    public ApiCaller authorize(ApiAction action, String tenantId) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            throw new ApiAccessException(401, "authentication is required");
        }
        Set<String> authorities = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        boolean writer = authorities.contains(writeAuthority);
        if (!writer && (action.isWrite() || !authorities.contains(readAuthority))) {
            throw new ApiAccessException(403, "the authority '" + (action.isWrite() ? writeAuthority : readAuthority)
                    + "' is required");
        }
        if (!tenantRule.permits(auth, action, tenantId)) {
            throw new ApiAccessException(403, FLEET.equals(tenantId) ? "this caller may not act on every tenant's"
                    + " rollouts" : "this caller may not " + action.name().toLowerCase(java.util.Locale.ROOT)
                    + " the jobs of this tenant");
        }
        return new ApiCaller(auth.getName(), writer);
    }
}
