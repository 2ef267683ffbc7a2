package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.rules.InputRules;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A credential a tenant may use for its customer-hosted servers: the reference a request names
 * ({@code connection_profile.credential_ref}) and what the runner logs in with. Never key material: the runner
 * resolves {@link #runnerCredential()} itself (AWX: the id of a machine credential; local Ansible: a name its
 * {@code CustomerCredentials} resolves to a key file). Immutable and thread-safe.
 *
 * @param tenantId the tenant allowed to use it
 * @param reference the name requests use, e.g. {@code acme-prod} or an AWX credential id
 * @param runnerCredential what the runner uses (AWX credential id, or the local runner's key name)
 * @param hosts the only hosts it may be used against (host names or IP literals, compared case-insensitively);
 *     empty for any host the tenant names. Bind password credentials to their hosts: a profile pointing at
 *     another server would hand it the password.
 */
public record TenantCredential(String tenantId, String reference, String runnerCredential, Set<String> hosts) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when the reference or runner credential is not a valid credential name, or a
     *     host is not a host name
     */
    public TenantCredential {
        Objects.requireNonNull(tenantId, "tenantId");
        check("reference", InputRules.credentialReference(reference));
        check("runnerCredential", InputRules.credentialReference(runnerCredential));
        hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        for (String host : hosts) {
            check("hosts", InputRules.host(host));
        }
    }

    /**
     * A credential usable against any host, used by the runner under the same name.
     *
     * @param tenantId the tenant allowed to use it
     * @param reference the name requests use, which is also what the runner uses
     * @return the registration
     */
    public static TenantCredential of(String tenantId, String reference) {
        return new TenantCredential(tenantId, reference, reference, Set.of());
    }

    /**
     * @param host the host a connection profile names
     * @return whether this credential may be used against it
     */
    public boolean permitsHost(String host) {
        return hosts.isEmpty() || hosts.contains(host.toLowerCase(Locale.ROOT));
    }

    private static void check(String field, @Nullable String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("tenant credential " + field + " " + problem);
        }
    }
}
