package com.dotmac.provisioning.spi;

import java.util.Objects;

/**
 * A tenant as the host's {@link TenantDirectory} reports it.
 *
 * @param id the tenant's id
 * @param slug its slug; must be a DNS label to be provisioned
 * @param status its current status (the host's own statuses or the library's, see
 *     {@link com.dotmac.provisioning.TenantStatus})
 */
public record Tenant(String id, String slug, String status) {
    /** Checks the fields are present. */
    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(status, "status");
    }
}
