package com.dotmac.provisioning.spring;

import java.time.Duration;

/**
 * The library's actuator health ({@code ProvisioningHealthIndicator}), bound under {@code provisioning.health} as part
 * of {@link ProvisioningProperties}. The default repeats
 * {@code ProvisioningHealthIndicator.DEFAULT_TENANT_DIRECTORY_DOWN_AFTER} (actuator is optional, so its class is not
 * loaded here; a test holds both equal). Not thread-safe: bound once at start-up.
 */
public class HealthProperties {
    /**
     * How long the tenant directory may refuse a job's tenant status before the provisioning health is DOWN (until
     * then it is UP, with the waiting jobs in the tenant_directory detail).
     */
    private Duration tenantDirectoryDownAfter = Duration.ofMinutes(30);

    /** @return how long the tenant directory may refuse a job's tenant status before the health is DOWN */
    public Duration getTenantDirectoryDownAfter() {
        return tenantDirectoryDownAfter;
    }

    /** @param tenantDirectoryDownAfter how long the tenant directory may refuse before the health is DOWN */
    public void setTenantDirectoryDownAfter(Duration tenantDirectoryDownAfter) {
        this.tenantDirectoryDownAfter = tenantDirectoryDownAfter;
    }
}
