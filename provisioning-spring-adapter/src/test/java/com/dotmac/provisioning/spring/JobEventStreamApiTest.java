package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.dotmac.provisioning.spring.SseClient.Message;
import com.example.platform.ApiTestApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET .../jobs/{job_id}/events/stream} on a real server (random port) read by a real HTTP client line by line:
 * a client that connects mid-job, sees a status change live, drops and resumes with {@code Last-Event-ID} sees every
 * entry once, in order, and the stream ends after the final status (a resume from its last id ends at once); ids that
 * are not of the timeline are refused; read authority as for the job's GET; the node's stream limit answers 503 and a
 * dropped client frees its place.
 */
class JobEventStreamApiTest extends ApiTestBase {

    @Test
    void aClientThatDropsAndResumesSeesEveryEntryOnceInOrderAndTheStreamEndsAfterTheFinalStatus() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String jobId = (String) create("{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\"}")
                .json().get("id");
        awaitStatus(jobId, "in_progress");
        int sofar = ((Long) call("GET", stream(jobId).replace("/stream", ""), "viewer", null).json().get("total"))
                .intValue();

        List<Message> seen = new ArrayList<>();
        try (SseClient first = SseClient.connect(port, stream(jobId), "viewer", null)) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.contentType()).startsWith("text/event-stream");
            List<Message> before = first.awaitMessages(sofar);
            assertThat(first.retries()).containsExactly("3000");
            await().atMost(Duration.ofSeconds(10)).until(() -> first.comments().contains("heartbeat"));

            AWX.forceStatus(awxJobOf(jobId), "successful");
            List<Message> live = first.awaitMessages(sofar + 1).subList(sofar, sofar + 1);
            assertThat(before).hasSize(sofar);
            assertThat(live.get(0).event()).isEqualTo("status_changed");
            assertThat(live.get(0).json()).containsEntry("from", "in_progress").containsEntry("to", "succeeded");
            seen.addAll(before);
            seen.addAll(live);
        }

        try (SseClient resumed = SseClient.connect(port, stream(jobId), "viewer", seen.get(seen.size() - 1).id())) {
            assertThat(resumed.status()).isEqualTo(200);
            seen.addAll(resumed.awaitEnd());
        }

        List<Map<String, Object>> timeline = items(call("GET", stream(jobId).replace("/stream", ""), "viewer", null));
        assertThat(seen).extracting(Message::id).containsExactlyElementsOf(
                IntStream.rangeClosed(1, timeline.size()).mapToObj(Integer::toString).toList());
        assertThat(seen).extracting(Message::json).containsExactlyElementsOf(timeline);
        assertThat(seen).extracting(Message::event).containsExactlyElementsOf(
                timeline.stream().map(e -> (String) e.get("type")).toList());
        assertThat(timeline).filteredOn(e -> "status_changed".equals(e.get("type"))).last()
                .satisfies(e -> assertThat(e.get("to")).isEqualTo("succeeded"));

        String total = Integer.toString(timeline.size());
        try (SseClient atTheEnd = SseClient.connect(port, stream(jobId), "viewer", total)) {
            assertThat(atTheEnd.awaitEnd()).isEmpty();
        }
        try (SseClient fromTheParameter = SseClient.connect(port, stream(jobId) + "?last_event_id="
                + (timeline.size() - 1), "viewer", null)) {
            assertThat(fromTheParameter.awaitEnd()).extracting(Message::id).containsExactly(total);
        }
    }

    @Test
    void aLastEventIdThatIsNoIdOfTheTimelineIs400NamingTheHeaderOrParameter() throws Exception {
        String jobId = (String) create("{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\"}")
                .json().get("id");

        Reply garbage = call("GET", stream(jobId), "viewer", null, "Last-Event-ID", "abc");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(garbage.errorFields()).containsExactly("Last-Event-ID");
        Reply beyond = call("GET", stream(jobId), "viewer", null, "Last-Event-ID", "1000");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.errorFields()).containsExactly("Last-Event-ID");
        Reply parameter = call("GET", stream(jobId) + "?last_event_id=-1", "viewer", null);
        assertThat(parameter.status()).isEqualTo(400);
        assertThat(parameter.errorFields()).containsExactly("last_event_id");
        Reply headerWins = call("GET", stream(jobId) + "?last_event_id=1", "viewer", null, "Last-Event-ID", "x");
        assertThat(headerWins.errorFields()).containsExactly("Last-Event-ID");
    }

    @Test
    void readAuthorityAsForTheJobUnknownAndOtherTenantsJobsAre404() throws Exception {
        String jobId = (String) create("{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\"}")
                .json().get("id");

        assertThat(call("GET", jobs() + "/no-such-job/events/stream", "viewer", null).status()).isEqualTo(404);
        Reply otherTenant = call("GET", "/api/v1/tenants/" + ApiTestApplication.OWN_TENANT + "/provisioning/jobs/"
                + jobId + "/events/stream", "tenant-admin", null, "Accept", "text/event-stream");
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(otherTenant.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(call("GET", stream(jobId), "tenant-admin", null).status()).isEqualTo(403);
        Reply intruder = call("GET", stream(jobId), "intruder", null, "Accept", "text/event-stream");
        assertThat(intruder.status()).isEqualTo(403);
        assertThat(intruder.headers().get("content-type")).startsWith("application/problem+json");
    }

    @Test
    void overTheNodesLimitIs503WithAProblemAndADroppedClientFreesItsPlace() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String jobId = (String) create("{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\"}")
                .json().get("id");
        awaitStatus(jobId, "in_progress");

        List<SseClient> open = new ArrayList<>();
        try {
            Reply refused = null;
            for (int i = 0; i <= 4 && refused == null; i++) { // the test host allows 4 streams
                SseClient client = SseClient.connect(port, stream(jobId), "viewer", null);
                if (client.status() == 200) {
                    open.add(client);
                } else {
                    client.close();
                    refused = call("GET", stream(jobId), "viewer", null);
                }
            }
            assertThat(refused).isNotNull();
            String answer = refused.status() + " " + refused.body(); // says which 503 it is, should the test fail
            assertThat(refused.status()).as(answer).isEqualTo(503);
            assertThat(refused.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(refused.json().get("detail")).as(answer).asString().contains("at most 4");
            assertThat(refused.headers()).containsEntry("retry-after", "5");
            assertThat(refused.json()).containsEntry("status", 503L);
        } finally {
            for (SseClient c : open) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (SseClient again = SseClient.connect(port, stream(jobId), "viewer", null)) {
                return again.status() == 200;
            }
        });
        AWX.forceStatus(awxJobOf(jobId), "successful");
    }

    private String stream(String jobId) {
        return jobs() + "/" + jobId + "/events/stream";
    }

    private static long awxJobOf(String jobId) {
        return AWX.launches().stream().filter(l -> jobId.equals(l.extraVars().get("provisioning_job_id")))
                .map(LaunchRecord::jobId).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Reply r) {
        return (List<Map<String, Object>>) r.json().get("items");
    }
}
