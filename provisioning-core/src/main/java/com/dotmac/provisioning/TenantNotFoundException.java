package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.Strings;

/** The tenant named by a request is unknown to the {@link com.dotmac.provisioning.spi.TenantDirectory} (REST: 404). */
public class TenantNotFoundException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final String tenantId;

    /**
     * @param tenantId the unknown tenant
     */
    public TenantNotFoundException(String tenantId) {
        super("tenant '" + Strings.abbreviate(tenantId, 80) + "' does not exist");
        this.tenantId = tenantId;
    }

    /** @return the unknown tenant's id */
    public String tenantId() {
        return tenantId;
    }
}
