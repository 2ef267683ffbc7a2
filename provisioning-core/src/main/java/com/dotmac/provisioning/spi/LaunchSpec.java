package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.JsonValues;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Everything a runner needs to launch one job's run. Immutable and thread-safe.
 *
 * <p>{@link #extraVars()} is exactly what the playbook receives: the request's own extra vars plus the reserved
 * ones ({@link PlaybookVariables}), including {@code provisioning_job_id}, the correlation id that
 * {@link AutomationRunner#findRuns} looks for. It may hold the job's callback token, a secret: runners pass it
 * to the automation and never log it; {@link #toString()} shows only the names.
 *
 * @param job the job
 * @param extraVars the complete extra vars
 * @param launchPendingSince when the first launch attempt of this job began: a run created before it is not this
 *     job's
 * @param runnerCredential for a customer-hosted job, what the runner logs in with, as the
 *     {@link CredentialPolicy} resolved the profile's {@code credential_ref} for the job's tenant
 *     ({@link TenantCredential#runnerCredential()}); null for a dotmac-hosted job
 */
public record LaunchSpec(ProvisioningJob job, Map<String, Object> extraVars, Instant launchPendingSince,
        @Nullable String runnerCredential) {
    /** Checks the fields and copies the extra vars. */
    public LaunchSpec {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(launchPendingSince, "launchPendingSince");
        extraVars = JsonValues.copyMap(extraVars);
    }

    /**
     * A spec whose runner credential is the profile's own {@code credential_ref}, unresolved: for runner tests and
     * tools. The engine always resolves it through the {@link CredentialPolicy}.
     *
     * @param job the job
     * @param extraVars the complete extra vars
     * @param launchPendingSince when the first launch attempt began
     */
    public LaunchSpec(ProvisioningJob job, Map<String, Object> extraVars, Instant launchPendingSince) {
        this(job, extraVars, launchPendingSince,
                job.connectionProfile() == null ? null : job.connectionProfile().credentialRef());
    }

    /** @return the job id, which is also the run's correlation id */
    public String correlationId() {
        return job.id();
    }

    @Override
    public String toString() {
        return "LaunchSpec[job=" + job.id() + ", tenant=" + job.tenantId() + ", operation="
                + job.operation().wireName() + ", mode=" + job.deploymentMode().wireName() + ", extraVars="
                + new TreeSet<>(extraVars.keySet()) + ", launchPendingSince=" + launchPendingSince + "]";
    }
}
