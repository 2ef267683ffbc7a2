package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.TenantCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a request may choose, as the host allows it: declared extra vars only, template overrides from the
 * allow-list, credentials registered for the request's tenant. Checked before anything is stored, and the
 * credential again before each launch. Thread-safe (immutable; the credential policy is thread-safe).
 *
 * @param variables the request variables the host declared
 * @param templates the template overrides the host allows
 * @param credentials which credentials each tenant may use
 */
public record RequestGuard(RequestVariables variables, TemplateOverrides templates, CredentialPolicy credentials) {

    /**
     * @param request a request that passed its own checks
     * @throws InvalidRequestException naming every field the host's allow-lists refuse
     */
    public void check(ProvisioningRequest request) {
        List<FieldError> errors = new ArrayList<>(variables.check(request.extraVars()));
        checkTemplate(request.operation(), request.templateId(), errors);
        ConnectionProfile profile = request.connectionProfile();
        if (profile != null) {
            FieldError problem = problem(credentials.find(request.tenantId(), profile.credentialRef()), profile,
                    request.tenantId());
            if (problem != null) {
                errors.add(problem);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /**
     * Resolves a customer-hosted job's credential just before its launch.
     *
     * @param job the job
     * @return what the runner logs in with, or empty when the job has no connection profile
     * @throws CredentialNotAllowed when the tenant may no longer use the credential (or its host)
     * @throws RuntimeException when the policy cannot be read (the launch is retried)
     */
    public Optional<String> runnerCredential(ProvisioningJob job) {
        ConnectionProfile profile = job.connectionProfile();
        if (profile == null) {
            return Optional.empty();
        }
        Optional<TenantCredential> found = credentials.find(job.tenantId(), profile.credentialRef());
        FieldError problem = problem(found, profile, job.tenantId());
        if (problem != null) {
            throw new CredentialNotAllowed(problem.field() + " " + problem.message());
        }
        return found.map(TenantCredential::runnerCredential);
    }

    private void checkTemplate(Operation operation, @Nullable Long templateId, List<FieldError> errors) {
        String problem = templates.check(operation, templateId);
        if (problem != null) {
            errors.add(new FieldError("awx_template_id", problem));
        }
    }

    private static @Nullable FieldError problem(Optional<TenantCredential> found, ConnectionProfile profile,
            String tenantId) {
        if (found.isEmpty() || !found.get().tenantId().equals(tenantId)) {
            return new FieldError("connection_profile.credential_ref", "is not a credential registered for tenant "
                    + tenantId + ": the platform's operators register the credentials a tenant may use"
                    + " (provisioning.credentials.tenants.<tenant>.<reference>, a credentials table, or a"
                    + " CredentialPolicy)");
        }
        if (!found.get().permitsHost(profile.host())) {
            return new FieldError("connection_profile.host", "is not a host the credential "
                    + profile.credentialRef() + " may be used against (its registration names the hosts)");
        }
        return null;
    }

    /** The tenant may not use the credential its job names (any more): the launch is refused. */
    public static final class CredentialNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CredentialNotAllowed(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "RequestGuard[" + variables + ", " + templates + ", " + credentials + "]";
    }
}
