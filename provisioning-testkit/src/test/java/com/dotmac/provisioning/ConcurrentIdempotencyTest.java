package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.testkit.RequestRace;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two requests with the same idempotency key at the same moment get the same job, whatever the operation: the
 * second is told the job exists, not refused because the first one's job already moved the tenant's status.
 */
class ConcurrentIdempotencyTest {
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final RequestRace race = new RequestRace(tenants);
    private final EngineHarness h = new EngineHarness(new InMemoryJobRepository(), tenants, "node-1",
            b -> b.tenantDirectory(race));

    @ParameterizedTest
    @EnumSource(Operation.class)
    void twoConcurrentRequestsWithOneKeyGetTheSameJobOnceCreated(Operation operation) {
        h.tenant("acme", operation == Operation.PROVISION ? "pending" : TenantStatus.PROVISIONED);
        ProvisioningRequest request = ProvisioningRequest.builder("acme").operation(operation)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).idempotencyKey("order-7")
                .releaseVersion(operation == Operation.UPGRADE ? "2.4.1" : null).build();

        List<ProvisioningJob> jobs = race.race(() -> h.provisioner.request(request));

        assertThat(jobs.get(0).id()).isEqualTo(jobs.get(1).id());
        assertThat(h.provisioner.jobs("acme", 1, 20).total()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void submitSaysWhichOfTwoConcurrentRequestsCreatedTheJob(Operation operation) {
        h.tenant("acme", operation == Operation.PROVISION ? "pending" : TenantStatus.PROVISIONED);
        ProvisioningRequest request = ProvisioningRequest.builder("acme").operation(operation)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).idempotencyKey("order-8")
                .releaseVersion(operation == Operation.UPGRADE ? "2.4.1" : null).build();

        List<Submission> both = race.race(() -> h.provisioner.submit(request));

        assertThat(both).extracting(Submission::created).containsExactlyInAnyOrder(true, false);
        assertThat(both.get(0).job().id()).isEqualTo(both.get(1).job().id());
        Submission again = h.provisioner.submit(request);
        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(both.get(0).job().id());
        assertThat(h.provisioner.jobs("acme", 1, 20).total()).isEqualTo(1);
    }
}
