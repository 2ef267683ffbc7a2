package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * With the AWX runner on the engine's default scheduler, every AWX request of a job's lifecycle (API discovery,
 * launch, polls) is made on the engine's own scheduler thread: no runner-call pool thread waits beside it (issue 19
 * goal 5), because the runner's calls end when interrupted ({@link AwxInterruptTest}).
 */
class AwxEngineThreadsTest extends FakeAwxTest {

    @Test
    void theAwxRunnersRequestsRunOnTheEnginesSchedulerThreadsAndNoRunnerCallThreadIsStarted() {
        Set<String> requestThreads = ConcurrentHashMap.newKeySet();
        fake.defaultScript(RunScript.succeedAfter(1));
        AwxAutomationRunner runner = runner(b -> b.requestListener(
                request -> requestThreads.add(Thread.currentThread().getName())));
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("t-1", "acme", "pending");
        try (TenantProvisioner engine = TenantProvisioner.builder().repository(new InMemoryJobRepository())
                .runner(runner).tenantDirectory(tenants).nodeId("node-1").pollInterval(Duration.ofMillis(200))
                .sweepInterval(Duration.ofMillis(100)).build()) {
            engine.start();
            String jobId = engine.request(ProvisioningRequest.provision("t-1", DeploymentMode.DOTMAC_HOSTED)).id();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.job(jobId).orElseThrow().status() == JobStatus.SUCCEEDED);
        }

        assertThat(requestThreads).isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("provisioning-")
                        .doesNotStartWith("provisioning-runner-call-"));
    }
}
