package com.dotmac.provisioning.spi;

import java.util.Optional;

/**
 * Decides whether a tenant may use the credential its customer-hosted request names
 * ({@code connection_profile.credential_ref}), and resolves it for the runner. Asked when a request is made (a
 * refusal is a 400 naming {@code connection_profile.credential_ref}; nothing is stored) and again before each launch
 * (a registration removed meanwhile fails the job with {@code CREDENTIAL_NOT_ALLOWED}).
 *
 * <p>The default, {@link #NONE}, refuses every reference, so customer-hosted requests need a registration:
 * {@code InMemoryCredentialPolicy} (Spring: {@code provisioning.credentials.tenants.<tenant>.<ref>.*}),
 * {@code JdbcCredentialPolicy} over a table of the host's, or the host's own implementation. Implementations must be
 * thread-safe and must not log or return key material.
 */
@FunctionalInterface
public interface CredentialPolicy {
    /** Refuses every reference: customer-hosted requests are refused until credentials are registered. */
    CredentialPolicy NONE = (tenantId, credentialRef) -> Optional.empty();

    /**
     * @param tenantId the tenant of the request
     * @param credentialRef the reference its connection profile names
     * @return the credential registered for that tenant under that reference, or empty when the tenant may not use
     *     it (an unknown reference and another tenant's look the same to the caller)
     * @throws RuntimeException when the registrations cannot be read; the request fails, or the launch is retried
     */
    Optional<TenantCredential> find(String tenantId, String credentialRef);
}
