package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A consumer that does not return holds up events, never jobs: on a scheduler with one thread, the job runs to its
 * end while the consumer sits on the first event; released, it gets the rest in order.
 */
class SlowEventConsumerTest {
    @Test
    void aConsumerThatHangsDoesNotHoldUpJobs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<ProvisioningEvent> seen = new CopyOnWriteArrayList<>();
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC());
        runner.defaultScript(Script.succeedAfter(0));
        InMemoryJobRepository repository = InMemoryJobRepository.recordingEvents();
        try (TenantProvisioner provisioner = TenantProvisioner.builder()
                .repository(repository)
                .runner(runner)
                .tenantDirectory(new InMemoryTenantDirectory().put("acme", "acme", "pending"))
                .scheduler(new ExecutorScheduler(1, Duration.ofSeconds(5)))
                .pollInterval(Duration.ofMillis(50))
                .sweepInterval(Duration.ofMillis(50))
                .eventDeliveryInterval(Duration.ofMillis(20))
                .eventConsumer("slow", e -> {
                    seen.add(e);
                    release.await();
                })
                .build()) {
            provisioner.start();
            ProvisioningJob job = provisioner.request(ProvisioningRequest.provision("acme",
                    DeploymentMode.DOTMAC_HOSTED));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> provisioner.job(job.id()).orElseThrow().status() == JobStatus.SUCCEEDED);
            assertThat(seen).as("the consumer still sits on the first event").hasSize(1);

            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> repository.countUndeliveredEvents() == 0);
            assertThat(seen).extracting(ProvisioningEvent::type)
                    .containsExactly("job.queued", "job.in_progress", "job.succeeded");
        }
    }
}
