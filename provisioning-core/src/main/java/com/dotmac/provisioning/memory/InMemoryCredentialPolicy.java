package com.dotmac.provisioning.memory;

import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.TenantCredential;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CredentialPolicy} over registrations held in memory: from configuration (Spring:
 * {@code provisioning.credentials.tenants.<tenant>.<ref>.*}) or registered by the host at run time. A tenant may use
 * only the references registered for it. Thread-safe.
 */
public final class InMemoryCredentialPolicy implements CredentialPolicy {
    private final Map<Key, TenantCredential> registrations = new ConcurrentHashMap<>();

    /**
     * @param credentials the first registrations
     * @return a policy holding them
     */
    public static InMemoryCredentialPolicy of(Collection<TenantCredential> credentials) {
        InMemoryCredentialPolicy policy = new InMemoryCredentialPolicy();
        credentials.forEach(policy::register);
        return policy;
    }

    /**
     * Adds or replaces a registration.
     *
     * @param credential what a tenant may use
     * @return this
     */
    public InMemoryCredentialPolicy register(TenantCredential credential) {
        registrations.put(new Key(credential.tenantId(), credential.reference()), credential);
        return this;
    }

    /**
     * Removes a registration; jobs not yet launched with it then fail with {@code CREDENTIAL_NOT_ALLOWED}.
     *
     * @param tenantId the tenant
     * @param reference the reference
     * @return whether it was registered
     */
    public boolean unregister(String tenantId, String reference) {
        return registrations.remove(new Key(tenantId, reference)) != null;
    }

    @Override
    public Optional<TenantCredential> find(String tenantId, String credentialRef) {
        return Optional.ofNullable(registrations.get(new Key(tenantId, credentialRef)));
    }

    @Override
    public String toString() {
        return "InMemoryCredentialPolicy[" + registrations.size() + " registrations]";
    }

    private record Key(String tenantId, String reference) {
    }
}
