package com.dotmac.provisioning.spring.web;

import java.util.Objects;

/**
 * Who called the REST API, as the {@link ProvisioningAccessPolicy} established it.
 *
 * @param name the caller's name, stored as {@code requested_by}
 * @param seesConnectionProfiles whether job responses show {@code connection_profile} (where a customer's servers
 *     are and which credential reaches them): only callers who may also change the tenant's jobs
 */
public record ApiCaller(String name, boolean seesConnectionProfiles) {
    /** Checks the name is present. */
    public ApiCaller {
        Objects.requireNonNull(name, "name");
    }
}
