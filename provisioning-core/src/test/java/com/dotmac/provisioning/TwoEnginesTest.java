package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two engines (two node ids, real threads) share one repository: no run is launched twice and no job is lost. */
class TwoEnginesTest {
    @Test
    void twoEnginesDriveFiveHundredJobsWithoutDuplicatesOrLosses() {
        InMemoryJobRepository repository = new InMemoryJobRepository();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC())
                .defaultScript(Script.succeedAfter(2).withTransientLaunchFailures(1));
        List<TenantProvisioner> engines = new ArrayList<>();
        for (String node : List.of("node-a", "node-b")) {
            engines.add(TenantProvisioner.builder()
                    .repository(repository)
                    .tenantDirectory(tenants)
                    .runner(runner)
                    .scheduler(new ExecutorScheduler(3, Duration.ofSeconds(5)))
                    .nodeId(node)
                    .pollInterval(Duration.ofMillis(5))
                    .sweepInterval(Duration.ofMillis(5))
                    .retryDelays(Duration.ofMillis(2), Duration.ofMillis(10))
                    .claimBatchSize(50)
                    .build());
        }
        engines.forEach(TenantProvisioner::start);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                String tenant = "tenant-" + i;
                tenants.put(tenant, tenant, "pending");
                ids.add(engines.get(i % 2).request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED))
                        .id());
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> ids.stream()
                    .allMatch(id -> repository.find(id).map(s -> s.job().status().isTerminal()
                            && s.tenantStatusApplied()).orElse(false)));
        } finally {
            engines.forEach(TenantProvisioner::close);
        }

        assertThat(ids).allSatisfy(id -> {
            assertThat(repository.find(id).orElseThrow().job().status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(runner.runsFor(id)).isEqualTo(1);
        });
        for (int i = 0; i < 500; i++) {
            assertThat(tenants.statusOf("tenant-" + i)).isEqualTo(TenantStatus.PROVISIONED);
        }
        assertThat(runner.launches()).hasSize(500);
    }
}
