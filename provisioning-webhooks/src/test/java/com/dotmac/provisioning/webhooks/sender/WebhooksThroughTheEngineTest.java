package com.dotmac.provisioning.webhooks.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.json.JsonValuesCodec;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Through the real engine: a provisioned tenant's status changes leave the outbox, are queued by the webhook
 * consumer and reach the receiver as signed CloudEvents, in order.
 */
class WebhooksThroughTheEngineTest {
    @Test
    void theReceiverGetsQueuedInProgressAndSucceededInOrderSigned() throws Exception {
        MutableClock clock = MutableClock.atFixedStart();
        ManualScheduler scheduler = new ManualScheduler();
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);
        InMemoryJobRepository repository = InMemoryJobRepository.recordingEvents();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("acme", "acme", "pending");
        try (MockWebServer receiver = new MockWebServer()) {
            for (int i = 0; i < 3; i++) {
                receiver.enqueue(new MockResponse.Builder().code(200).build());
            }
            receiver.start();
            try (Webhooks webhooks = Webhooks.builder().clock(clock).jitter(() -> 0.999)
                    .backoff(Backoff.builder().jitter(0).build())
                    .subscription(WebhookSubscription.builder("billing").url(receiver.url("/hooks").toString())
                            .secret(WebhookSubscriptionTest.SECRET).eventTypes("job.*").tenants("acme").build())
                    .build()) {
                TenantProvisioner provisioner = TenantProvisioner.builder().repository(repository).runner(runner)
                        .tenantDirectory(tenants).scheduler(scheduler).clock(clock).nodeId("node-1")
                        .pollInterval(Duration.ofSeconds(15)).jitter(() -> 0.999)
                        .eventConsumer(Webhooks.CONSUMER_NAME, webhooks.eventConsumer())
                        .build();
                provisioner.start();
                runner.script("acme", Script.succeedAfter(1));

                ProvisioningJob job = provisioner.request(ProvisioningRequest.builder("acme")
                        .deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice").build());
                for (int i = 0; i < 20 && !provisioner.job(job.id()).orElseThrow().status().isTerminal(); i++) {
                    scheduler.runPending();
                    provisioner.sweepNow();
                    scheduler.runPending();
                    clock.advance(Duration.ofSeconds(15));
                }
                for (int i = 0; i < 4; i++) {
                    scheduler.runOwnThreadTasks(); // the outbox's delivery worker hands the events over
                }
                List<String> delivered = new ArrayList<>();
                for (int i = 0; i < 5 && webhooks.store().countPending() > 0; i++) {
                    webhooks.dispatcher().dispatchOnce().stream().map(CompletableFuture::join)
                            .forEach(r -> delivered.add(r.delivery().event().type() + ":" + r.status()));
                }
                provisioner.close();

                assertThat(delivered).containsExactly("job.queued:DELIVERED", "job.in_progress:DELIVERED",
                        "job.succeeded:DELIVERED");
                List<String> types = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    RecordedRequest r = receiver.takeRequest(5, TimeUnit.SECONDS);
                    assertThat(r).isNotNull();
                    String body = r.getBody().utf8();
                    assertThat(r.getHeaders().get("Webhook-Signature")).isEqualTo(CloudEventsAndSignatureTest.recipe(
                            WebhookSubscriptionTest.SECRET.getBytes(StandardCharsets.UTF_8),
                            r.getHeaders().get("Webhook-Timestamp"), body));
                    new WebhookSignatureVerifier(WebhookSubscriptionTest.SECRET.getBytes(StandardCharsets.UTF_8),
                            WebhookSignatureVerifier.DEFAULT_TOLERANCE, clock).verify(
                            r.getHeaders().get("Webhook-Timestamp"), r.getHeaders().get("Webhook-Signature"), body);
                    Map<String, Object> ce = JsonValuesCodec.standard().readObject(body);
                    assertThat(ce.get("id")).isEqualTo(r.getHeaders().get("Webhook-Id"));
                    assertThat(ce).containsEntry("subject", "acme");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> data = (Map<String, Object>) ce.get("data");
                    assertThat(data).containsEntry("tenant_id", "acme").containsEntry("job_id", job.id())
                            .containsEntry("operation", "provision");
                    types.add((String) ce.get("type"));
                }
                assertThat(types).containsExactly("com.dotmac.provisioning.job.queued",
                        "com.dotmac.provisioning.job.in_progress", "com.dotmac.provisioning.job.succeeded");
            }
        }
    }
}
