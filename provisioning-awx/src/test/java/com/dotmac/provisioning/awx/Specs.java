package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.LaunchSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Launch specs as the engine builds them, for the runner's tests. */
final class Specs {
    private Specs() {
    }

    static LaunchSpec dotmacHosted(String slug) {
        return spec(slug, Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, null, null, Instant.now());
    }

    static LaunchSpec customerHosted(String slug, ConnectionProfile profile) {
        return spec(slug, Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED, profile, null, Instant.now());
    }

    static LaunchSpec spec(String slug, Operation operation, DeploymentMode mode, @Nullable ConnectionProfile profile,
            @Nullable Long templateOverride, Instant launchPendingSince) {
        Instant now = Instant.now();
        ProvisioningJob job = ProvisioningJob.builder(UUID.randomUUID().toString())
                .tenantId("tenant-" + slug).tenantSlug(slug).operation(operation).deploymentMode(mode)
                .status(JobStatus.QUEUED).requestedBy("test").createdAt(now).updatedAt(now)
                .connectionProfile(profile).templateId(templateOverride)
                .releaseVersion(operation == Operation.UPGRADE ? "2.4.0" : null)
                .build();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("region", "eu-west-1");
        vars.put(PlaybookVariables.TENANT_ID, job.tenantId());
        vars.put(PlaybookVariables.TENANT_SLUG, slug);
        vars.put(PlaybookVariables.DEPLOYMENT_MODE, mode.wireName());
        vars.put(PlaybookVariables.OPERATION, operation.wireName());
        vars.put(PlaybookVariables.PROVISIONING_JOB_ID, job.id());
        if (profile != null) {
            vars.put(PlaybookVariables.CONNECTION_PROFILE, profile.toMap());
        }
        return new LaunchSpec(job, vars, launchPendingSince);
    }

    static LaunchSpec withVar(LaunchSpec spec, String name, Object value) {
        Map<String, Object> vars = new LinkedHashMap<>(spec.extraVars());
        vars.put(name, value);
        return new LaunchSpec(spec.job(), vars, spec.launchPendingSince());
    }
}
