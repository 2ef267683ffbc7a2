package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.json.JsonValuesCodec;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.dotmac.provisioning.webhooks.sender.WebhookSignatureVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhooks in a Boot application (the REST tests' host, with a webhook receiver on MockWebServer): a provisioned
 * tenant's status changes arrive as signed CloudEvents in order, and a receiver that refuses them leaves dead letters
 * that the REST API lists and redelivers, with the right authorities.
 */
class WebhooksApiTest extends ApiTestBase {
    private static final String SECRET = "whsec-api-test-0123456789abcdef0123456789";
    private static final String DEAD_LETTERS = "/api/v1/provisioning/webhooks/dead-letters";
    private static final List<RecordedRequest> RECEIVED = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean BROKEN_REFUSES = new AtomicBoolean(true);
    /** Lives as long as the context (the JVM). */
    private static final MockWebServer RECEIVER = new MockWebServer();

    static {
        RECEIVER.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                RECEIVED.add(request);
                boolean refuse = request.getUrl().encodedPath().equals("/broken") && BROKEN_REFUSES.get();
                return new MockResponse.Builder().code(refuse ? 400 : 204).build();
            }
        });
        try {
            RECEIVER.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void webhooks(DynamicPropertyRegistry r) {
        r.add("provisioning.webhooks.subscriptions.billing.url", () -> RECEIVER.url("/billing").toString());
        r.add("provisioning.webhooks.subscriptions.billing.secret", () -> SECRET);
        r.add("provisioning.webhooks.subscriptions.billing.event-types", () -> "job.*");
        r.add("provisioning.webhooks.subscriptions.broken.url", () -> RECEIVER.url("/broken").toString());
        r.add("provisioning.webhooks.subscriptions.broken.secret", () -> SECRET);
        r.add("provisioning.webhooks.subscriptions.broken.event-types", () -> "job.queued");
    }

    private List<Map<String, Object>> receivedFor(String path, String tenantId) {
        return RECEIVED.stream().filter(r -> r.getUrl().encodedPath().equals(path))
                .map(r -> JsonValuesCodec.standard().readObject(r.getBody().utf8()))
                .filter(ce -> tenantId.equals(ce.get("subject"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Reply reply) {
        return (List<Map<String, Object>>) reply.json().get("items");
    }

    @Test
    void aProvisionedTenantsStatusChangesArriveAsSignedCloudEventsInOrder() throws Exception {
        Reply created = create("{\"deployment_mode\": \"dotmac_hosted\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jobId = (String) created.json().get("id");
        awaitStatus(jobId, "succeeded");

        await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor("/billing", tenant).size() >= 3);
        assertThat(receivedFor("/billing", tenant)).extracting(ce -> ce.get("type")).containsExactly(
                "com.dotmac.provisioning.job.queued", "com.dotmac.provisioning.job.in_progress",
                "com.dotmac.provisioning.job.succeeded");
        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET.getBytes(StandardCharsets.UTF_8));
        for (RecordedRequest r : RECEIVED) {
            if (r.getUrl().encodedPath().equals("/billing") && r.getBody().utf8().contains(jobId)) {
                verifier.verify(r.getHeaders().get("Webhook-Timestamp"), r.getHeaders().get("Webhook-Signature"),
                        r.getBody().utf8());
                assertThat(r.getHeaders().get("Content-Type")).startsWith("application/cloudevents+json");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) receivedFor("/billing", tenant).get(2).get("data");
        assertThat(data).containsEntry("tenant_id", tenant).containsEntry("job_id", jobId)
                .containsEntry("operation", "provision").containsEntry("from", "in_progress")
                .containsEntry("to", "succeeded");
    }

    @Test
    void aRefusedDeliveryIsADeadLetterListedAndRedeliveredOverRestWithTheRightAuthorities() throws Exception {
        Reply created = create("{\"deployment_mode\": \"dotmac_hosted\"}");
        String jobId = (String) created.json().get("id");

        await().atMost(Duration.ofSeconds(20)).until(() -> items(call("GET", DEAD_LETTERS + "?subscription=broken"
                + "&page_size=100", "viewer", null)).stream().anyMatch(d -> jobId.equals(d.get("job_id"))));
        Reply list = call("GET", DEAD_LETTERS + "?subscription=broken&page_size=100", "viewer", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(SECRET).doesNotContain("/broken");
        Map<String, Object> dead = items(list).stream().filter(d -> jobId.equals(d.get("job_id"))).findFirst()
                .orElseThrow();
        assertThat(dead).containsEntry("subscription", "broken").containsEntry("event_type", "job.queued")
                .containsEntry("tenant_id", tenant).containsEntry("attempts", 1L)
                .containsEntry("last_error", "HTTP 400").containsEntry("status", "dead")
                .containsKeys("id", "event_id", "died_at");
        String id = (String) dead.get("id");

        assertThat(call("GET", DEAD_LETTERS, "intruder", null).status()).isEqualTo(403);
        assertThat(call("GET", DEAD_LETTERS, null, null).status()).isEqualTo(401);
        assertThat(call("POST", DEAD_LETTERS + "/" + id + "/redeliver", "viewer", null).status()).isEqualTo(403);
        assertThat(call("POST", DEAD_LETTERS + "/unknown-id/redeliver", "admin", null).status()).isEqualTo(404);
        assertThat(call("GET", DEAD_LETTERS + "?page_size=0", "viewer", null).status()).isEqualTo(400);

        BROKEN_REFUSES.set(false);
        Reply redelivered = call("POST", DEAD_LETTERS + "/" + id + "/redeliver", "admin", null);
        assertThat(redelivered.status()).as(redelivered.body()).isEqualTo(200);
        assertThat(redelivered.json()).containsEntry("id", id).containsEntry("status", "pending")
                .containsEntry("attempts", 0L);

        await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor("/broken", tenant).size() >= 2);
        assertThat(receivedFor("/broken", tenant)).extracting(ce -> ce.get("id")).as("the same event again")
                .containsOnly(dead.get("event_id"));
        assertThat(items(call("GET", DEAD_LETTERS + "?subscription=broken&page_size=100", "viewer", null)))
                .noneMatch(d -> id.equals(d.get("id")));
    }
}
