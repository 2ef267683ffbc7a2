package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dotmac.provisioning.scripted.Script;
import org.junit.jupiter.api.Test;

/**
 * {@link TenantProvisioner#findJobs} through the public API on the deterministic harness: jobs of several tenants
 * filtered by status and operation, newest first; pages out of range are refused naming the field.
 */
class FindJobsTest {

    @Test
    void jobsAcrossTenantsAreFilteredByStatusNewestFirst() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending").tenant("globex", "pending")
                .tenant("initech", "pending");
        h.runner.script("acme", Script.succeedAfter(1));
        h.runner.script("globex", Script.failAfter(1, "Install packages", "web-1", "apt failed"));
        h.runner.script("initech", Script.succeedAfter(1));
        for (String tenant : new String[] {"acme", "globex", "initech"}) {
            h.runToEnd(h.provisioner.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED))
                    .id());
            h.clock.advance(java.time.Duration.ofSeconds(1));
        }

        JobPage succeeded = h.provisioner.findJobs(new JobQuery(null, JobStatus.SUCCEEDED, Operation.PROVISION, null,
                null), 1, 10);
        JobPage failed = h.provisioner.findJobs(new JobQuery(null, JobStatus.FAILED, null, null, null), 1, 10);
        JobPage firstOfAll = h.provisioner.findJobs(JobQuery.all(), 1, 1);

        assertThat(succeeded.items()).extracting(ProvisioningJob::tenantId).containsExactly("initech", "acme");
        assertThat(succeeded.total()).isEqualTo(2);
        assertThat(failed.items()).extracting(ProvisioningJob::tenantId).containsExactly("globex");
        assertThat(firstOfAll.items()).extracting(ProvisioningJob::tenantId).containsExactly("initech");
        assertThat(firstOfAll.total()).isEqualTo(3);
    }

    @Test
    void pagesOutOfRangeAreRefusedNamingTheField() {
        EngineHarness h = new EngineHarness();

        assertThat(catchThrowableOfType(InvalidRequestException.class,
                () -> h.provisioner.findJobs(JobQuery.all(), 0, 101)).fieldErrors())
                .extracting(FieldError::field).containsExactly("page", "page_size");
    }
}
