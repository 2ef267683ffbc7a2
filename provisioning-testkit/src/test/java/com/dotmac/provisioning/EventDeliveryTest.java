package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.scripted.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outbox's events reach the registered consumers: every status change of a job once and in order, and a
 * consumer that throws gets the event again after the retry back-off, while the others keep what they had.
 */
class EventDeliveryTest {
    private static ProvisioningRequest provision(String tenant) {
        return ProvisioningRequest.builder(tenant).deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice")
                .build();
    }

    @Test
    void theOutboxIsOptInAConsumerOverARepositoryThatRecordsNothingIsRefusedAtBuild() {
        EngineHarness h = new EngineHarness().tenant("acme", "pending");
        h.runner.script("acme", Script.succeedAfter(1));
        h.runToEnd(h.provisioner.request(provision("acme")).id());

        assertThat(h.repository.recordsEvents()).isFalse();
        assertThat(h.repository.countUndeliveredEvents()).as("no table that only grows").isZero();
        assertThatThrownBy(() -> new EngineHarness(b -> b.eventConsumer("billing", e -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("InMemoryJobRepository.recordingEvents()");
    }

    @Test
    void aConsumerSeesEveryStatusChangeOfAJobOnceAndInOrder() {
        List<ProvisioningEvent> billing = new ArrayList<>();
        List<ProvisioningEvent> audit = new ArrayList<>();
        EngineHarness h = new EngineHarness(InMemoryJobRepository.recordingEvents(), new InMemoryTenantDirectory(), "node-1",
                b -> b.eventConsumer("billing", billing::add)
                .eventConsumer("audit", audit::add)).tenant("acme", "pending");
        h.runner.script("acme", Script.succeedAfter(1));

        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.scheduler.runOwnThreadTasks();
        h.runToEnd(job.id());
        h.scheduler.runOwnThreadTasks();
        h.scheduler.runOwnThreadTasks();

        assertThat(billing).extracting(ProvisioningEvent::type)
                .containsExactly("job.queued", "job.in_progress", "job.succeeded");
        assertThat(billing).allSatisfy(e -> {
            assertThat(e.tenantId()).isEqualTo("acme");
            assertThat(e.jobId()).isEqualTo(job.id());
        });
        assertThat(billing.stream().map(ProvisioningEvent::id).distinct()).hasSize(3);
        assertThat(audit).as("each named consumer gets every event").containsExactlyElementsOf(billing);
        assertThat(h.repository.countUndeliveredEvents()).isZero();
    }

    @Test
    void aConsumerThatThrowsTwiceGetsTheEventAgainAfterTheBackOffAndTheOthersGetItOnce() {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<ProvisioningEvent> flaky = new ArrayList<>();
        List<ProvisioningEvent> steady = new ArrayList<>();
        EngineHarness h = new EngineHarness(InMemoryJobRepository.recordingEvents(), new InMemoryTenantDirectory(), "node-1",
                b -> b.eventConsumer("steady", steady::add)
                .eventConsumer("flaky", e -> {
                    flaky.add(e);
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("the bus is down");
                    }
                })).tenant("acme", "pending");
        h.runner.script("acme", Script.hang());
        ProvisioningJob job = h.provisioner.request(provision("acme"));
        h.step();
        assertThat(h.job(job.id()).status()).isEqualTo(JobStatus.IN_PROGRESS);
        h.scheduler.runOwnThreadTasks();
        assertThat(flaky).hasSize(1);

        Duration first = h.provisioner.settings().retryBackoff().delay(1, () -> 0.999);
        Duration second = h.provisioner.settings().retryBackoff().delay(2, () -> 0.999);

        h.clock.advance(first.minusMillis(1));
        h.scheduler.runOwnThreadTasks();
        assertThat(flaky).as("not before the back-off").hasSize(1);
        h.clock.advance(Duration.ofMillis(1));
        h.scheduler.runOwnThreadTasks();
        assertThat(flaky).as("again after the back-off").hasSize(2);
        h.clock.advance(second.minusMillis(1));
        h.scheduler.runOwnThreadTasks();
        assertThat(flaky).as("not before the second, longer back-off").hasSize(2);
        h.clock.advance(Duration.ofMillis(1));
        h.scheduler.runOwnThreadTasks();

        assertThat(flaky).extracting(ProvisioningEvent::id).as("the same event each time, then the next ones")
                .startsWith(flaky.get(0).id(), flaky.get(0).id(), flaky.get(0).id());
        assertThat(flaky.get(0).type()).isEqualTo("job.queued");
        assertThat(steady).extracting(ProvisioningEvent::type).as("once each, in order")
                .containsExactly("job.queued", "job.in_progress");
        assertThat(flaky.subList(3, flaky.size())).containsExactlyElementsOf(steady.subList(1, steady.size()));
        assertThat(job.tenantId()).isEqualTo("acme");
    }
}
