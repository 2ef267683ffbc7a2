package com.dotmac.provisioning.ansible;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves the {@code credential_ref} of a customer-hosted tenant's connection profile to an SSH private key file on
 * this machine, for {@link AnsiblePlaybookRunner}'s rendered inventory ({@code ansible_ssh_private_key_file}). Key
 * material never passes through the library: the host keeps its keys in files (or an agent) and names them here.
 * Implementations must be thread-safe and must not log key material.
 */
@FunctionalInterface
public interface CustomerCredentials {
    /** Resolves nothing: {@code ssh} uses its agent and the default keys of the user running the JVM. */
    CustomerCredentials NONE = credentialRef -> Optional.empty();

    /**
     * @param credentialRef the profile's credential reference
     * @return the private key file to log in with, or empty to let {@code ssh} choose
     * @throws IllegalArgumentException when the reference is unknown (the job fails with a permanent error)
     */
    Optional<Path> privateKeyFile(String credentialRef);
}
