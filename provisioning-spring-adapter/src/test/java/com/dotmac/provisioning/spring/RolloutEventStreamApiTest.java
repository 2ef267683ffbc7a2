package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.dotmac.provisioning.spring.SseClient.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /provisioning/rollouts/{rollout_id}/events/stream} on a real server read by a real HTTP client: a rollout
 * of two tenants followed mid-way, the client dropping and resuming with the {@code last_event_id} parameter (as a
 * client that cannot set headers does), to its end: every entry once and in order, the stream ending after {@code completed}; 404 for an
 * unknown rollout, 403 without the read authority or for a caller narrowed to its own tenants.
 */
class RolloutEventStreamApiTest extends ApiTestBase {
    private static final String ROLLOUTS = "/api/v1/provisioning/rollouts";

    @Test
    void aRolloutStreamDroppedAndResumedFromTheParameterShowsEveryEntryOnceAndEndsAfterCompleted() throws Exception {
        AWX.defaultScript(RunScript.hang());
        List<String> tenants = List.of("s-" + UUID.randomUUID().toString().substring(0, 8),
                "s-" + UUID.randomUUID().toString().substring(0, 8));
        tenants.forEach(t -> insertTenant(t, "pending"));
        Reply created = call("POST", ROLLOUTS, "admin", "{\"operation\": \"provision\", \"deployment_mode\":"
                + " \"dotmac_hosted\", \"tenants\": [\"" + tenants.get(0) + "\", \"" + tenants.get(1) + "\"],"
                + " \"plan\": {\"max_parallel\": 2}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> launched(tenants).size() == 2);

        List<Message> seen = new ArrayList<>();
        String events = ROLLOUTS + "/" + id + "/events";
        try (SseClient first = SseClient.connect(port, events + "/stream", "viewer", null)) {
            assertThat(first.status()).isEqualTo(200);
            int sofar = items(call("GET", events, "viewer", null)).size();
            seen.addAll(first.awaitMessages(sofar).subList(0, sofar));
        }
        try (SseClient resumed = SseClient.connect(port, events + "/stream?last_event_id=" + seen.size(), "viewer",
                null)) {
            assertThat(resumed.status()).isEqualTo(200);
            launched(tenants).forEach(l -> AWX.forceStatus(l.jobId(), "successful"));
            seen.addAll(resumed.awaitEnd());
        }

        List<Map<String, Object>> timeline = items(call("GET", ROLLOUTS + "/" + id + "/events", "viewer", null));
        assertThat(seen).extracting(Message::id).containsExactlyElementsOf(
                IntStream.rangeClosed(1, timeline.size()).mapToObj(Integer::toString).toList());
        assertThat(seen).extracting(Message::json).containsExactlyElementsOf(timeline);
        assertThat(seen.get(seen.size() - 1).event()).isEqualTo("status_changed");
        assertThat(seen.get(seen.size() - 1).json()).containsEntry("to", "completed");
    }

    @Test
    void anUnknownRolloutIs404AndReadingNeedsTheReadAuthorityForTheFleet() throws Exception {
        assertThat(call("GET", ROLLOUTS + "/no-such-rollout/events/stream", "viewer", null, "Accept",
                "text/event-stream").status()).isEqualTo(404);
        assertThat(call("GET", ROLLOUTS + "/no-such-rollout/events/stream", "intruder", null).status())
                .isEqualTo(403);
        assertThat(call("GET", ROLLOUTS + "/no-such-rollout/events/stream", "tenant-admin", null).status())
                .isEqualTo(403);
    }

    private static List<LaunchRecord> launched(List<String> tenants) {
        return AWX.launches().stream().filter(l -> tenants.contains(l.extraVars().get("tenant_id")))
                .filter(l -> l.jobId() != null).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Reply r) {
        return (List<Map<String, Object>>) r.json().get("items");
    }
}
