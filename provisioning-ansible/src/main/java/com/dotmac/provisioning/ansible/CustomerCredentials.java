package com.dotmac.provisioning.ansible;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the runner credential of a customer-hosted job (what the core's {@code CredentialPolicy} registered for
 * the tenant: {@code TenantCredential#runnerCredential()}) to an SSH private key file on this machine, for
 * {@link AnsiblePlaybookRunner}'s rendered inventory ({@code ansible_ssh_private_key_file}). Key material never
 * passes through the library: the host keeps its keys in files (or an agent) and names them here. Implementations
 * must be thread-safe and must not log key material.
 *
 * <p>Without a source ({@link #NONE}, the default) the runner refuses customer-hosted jobs: otherwise {@code ssh}
 * would log in to any host a request names with the JVM user's own keys.
 */
@FunctionalInterface
public interface CustomerCredentials {
    /** No credential source: customer-hosted jobs are refused ({@code ANSIBLE_CONFIGURATION}). The default. */
    CustomerCredentials NONE = credential -> Optional.empty();

    /**
     * An explicit choice to let {@code ssh} use its agent and the default keys of the user running the JVM for every
     * customer server: only for a JVM user whose keys exist for exactly that purpose.
     */
    CustomerCredentials SSH_DEFAULTS = credential -> Optional.empty();

    /**
     * @param keyFiles private key file per runner credential name
     * @return a source that knows exactly these; another name fails the job
     */
    static CustomerCredentials keyFiles(Map<String, Path> keyFiles) {
        Map<String, Path> copy = Map.copyOf(keyFiles);
        return credential -> {
            Path file = copy.get(credential);
            if (file == null) {
                throw new IllegalArgumentException("no key file is configured for the credential '" + credential
                        + "'");
            }
            return Optional.of(file);
        };
    }

    /**
     * @param runnerCredential the tenant's registered runner credential
     * @return the private key file to log in with, or empty to let {@code ssh} choose
     * @throws IllegalArgumentException when the credential is unknown (the job fails with a permanent error)
     */
    Optional<Path> privateKeyFile(String runnerCredential);
}
