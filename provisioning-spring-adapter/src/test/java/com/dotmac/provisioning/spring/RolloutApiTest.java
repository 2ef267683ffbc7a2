package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rollout endpoints on a real server (random port), with the host's Spring Security, the AWX runner against a
 * fake AWX and the host's tenants table: a rollout run to its end, bad input refused naming the field with nothing
 * stored, pause, resume and abort with their conflicts, and who may do what.
 */
class RolloutApiTest extends ApiTestBase {
    private static final String ROLLOUTS = "/api/v1/provisioning/rollouts";

    @Test
    void aRolloutProvisionsItsTenantsWaveByWaveAndShowsItsCountsTenantsAndTimeline() throws Exception {
        List<String> ids = pendingTenants(3);

        Reply created = call("POST", ROLLOUTS, "admin", "{\"operation\": \"provision\", \"deployment_mode\":"
                + " \"dotmac_hosted\", \"tenants\": " + json(ids) + ", \"extra_vars\": {\"region\": \"eu\"},"
                + " \"plan\": {\"canary\": 1, \"waves\": {\"sizes\": [2]}, \"max_parallel\": 2,"
                + " \"failure_threshold\": {\"max_failed_percent\": 50}, \"pause_between_waves\": \"PT0S\"}}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> rollout = created.json();
        String id = (String) rollout.get("id");
        assertThat(created.headers().get("location")).endsWith(ROLLOUTS + "/" + id);
        assertThat(rollout).containsEntry("status", "running").containsEntry("operation", "provision")
                .containsEntry("requested_by", "admin").containsEntry("total_tenants", 3L)
                .containsEntry("wave_sizes", List.of(1L, 2L)).containsEntry("extra_vars", Map.of("region", "eu"));
        assertThat(rollout.get("plan")).isEqualTo(Map.of("canary", 1L, "waves", Map.of("sizes", List.of(2L),
                "percents", List.of()), "max_parallel", 2L, "failure_threshold", mapOf("max_failures", null,
                "max_failed_percent", 50L), "pause_between_waves", "PT0S"));

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(
                call("GET", ROLLOUTS + "/" + id, "viewer", null).json().get("status")));
        Map<String, Object> done = call("GET", ROLLOUTS + "/" + id, "viewer", null).json();
        assertThat(done.get("tenants")).isEqualTo(Map.of("waiting", 0L, "started", 0L, "succeeded", 3L, "failed", 0L,
                "skipped", 0L));
        assertThat(done).containsEntry("current_wave", 1L).containsKey("finished_at");
        for (String t : ids) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "provisioned".equals(statusOf(t)));
        }

        Reply members = call("GET", ROLLOUTS + "/" + id + "/tenants?status=succeeded&page_size=2", "viewer", null);
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.json()).containsEntry("total", 3L).containsEntry("page", 1L)
                .containsEntry("page_size", 2L);
        assertThat(items(members)).extracting(m -> m.get("tenant_id")).containsExactly(ids.get(0), ids.get(1));
        assertThat(items(members)).allSatisfy(m -> assertThat(m.get("job_id")).isNotNull());
        assertThat(items(members)).extracting(m -> m.get("wave")).containsExactly(0L, 1L);

        Reply events = call("GET", ROLLOUTS + "/" + id + "/events", "viewer", null);
        assertThat(items(events)).extracting(e -> e.get("type")).containsSubsequence("created", "wave_started",
                "status_changed");
        assertThat(items(events)).filteredOn(e -> "wave_started".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e.get("message")).asString().startsWith("wave 1"));
        assertThat(items(events)).filteredOn(e -> "status_changed".equals(e.get("type")))
                .extracting(e -> e.get("to")).containsExactly("completed");

        Reply list = call("GET", ROLLOUTS + "?page=1&page_size=1", "viewer", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).containsEntry("page", 1L).containsEntry("page_size", 1L);
        assertThat((Long) list.json().get("total")).isGreaterThanOrEqualTo(1L);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheFirstRolloutWith200AndStoresNoSecond() throws Exception {
        List<String> ids = pendingTenants(2);
        String body = "{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\", \"tenants\": "
                + json(ids) + "}";
        String key = "rollout-" + UUID.randomUUID();
        long before = (Long) call("GET", ROLLOUTS, "viewer", null).json().get("total");

        Reply first = call("POST", ROLLOUTS, "admin", body, "Idempotency-Key", key);
        Reply again = call("POST", ROLLOUTS, "admin", body, "Idempotency-Key", key);
        Reply blank = call("POST", ROLLOUTS, "admin", body, "Idempotency-Key", " ");

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.headers().get("location")).isEqualTo(first.headers().get("location"));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body()).contains("idempotency_key");
        assertThat(call("GET", ROLLOUTS, "viewer", null).json().get("total")).isEqualTo(before + 1);
        String id = (String) first.json().get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(
                call("GET", ROLLOUTS + "/" + id, "viewer", null).json().get("status")));
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        List<String> ids = pendingTenants(2);
        String t = ids.get(0);
        String unknownA = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        String unknownB = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        long before = total();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("tenants", provision("\"tenants\": []"));
        cases.put("tenants ", provision("\"tenants\": [\"" + t + "\", \"" + unknownA + "\", \"" + unknownB
                + "\"]"));
        cases.put("tenants  ", provision("\"tenants\": [\"" + t + "\", \"" + t + "\"]"));
        cases.put("tenants   ", provision("\"tenants\": " + json(ids) + ", \"selection\": {\"status\": \"x\"}"));
        cases.put("selection.status", provision("\"selection\": {\"status\": \"nobody-is-" + UUID.randomUUID()
                .toString().substring(0, 8) + "\"}"));
        cases.put("plan.waves", provision("\"tenants\": " + json(ids) + ", \"plan\": {\"waves\": {\"sizes\": [1,"
                + " 2]}}"));
        cases.put("plan.waves ", provision("\"tenants\": " + json(ids) + ", \"plan\": {\"waves\": {\"percents\":"
                + " [50, 40]}}"));
        cases.put("plan.failure_threshold", provision("\"tenants\": " + json(ids) + ", \"plan\":"
                + " {\"failure_threshold\": {\"max_failed_percent\": 150}}"));
        cases.put("plan.failure_threshold ", provision("\"tenants\": " + json(ids) + ", \"plan\":"
                + " {\"failure_threshold\": {\"max_failures\": 1, \"max_failed_percent\": 5}}"));
        cases.put("plan.max_parallel", provision("\"tenants\": " + json(ids) + ", \"plan\": {\"max_parallel\": 0}"));
        cases.put("plan.max_parallel ", provision("\"tenants\": " + json(ids) + ", \"plan\": {\"max_parallel\":"
                + " -3}"));
        cases.put("plan.pause_between_waves", provision("\"tenants\": " + json(ids) + ", \"plan\":"
                + " {\"pause_between_waves\": \"soon\"}"));
        cases.put("operation", "{\"tenants\": " + json(ids) + "}");
        cases.put("release_version", "{\"operation\": \"upgrade\", \"tenants\": " + json(ids) + "}");
        cases.put("extra_vars.shell", provision("\"tenants\": " + json(ids) + ", \"extra_vars\": {\"shell\":"
                + " \"rm\"}"));
        cases.put("colour", provision("\"tenants\": " + json(ids) + ", \"colour\": \"red\""));
        cases.put("plan.speed", provision("\"tenants\": " + json(ids) + ", \"plan\": {\"speed\": 3}"));

        for (Map.Entry<String, String> c : cases.entrySet()) {
            Reply r = call("POST", ROLLOUTS, "admin", c.getValue());
            String field = c.getKey().trim();
            assertThat(r.status()).as(c.getValue() + " -> " + r.body()).isEqualTo(400);
            assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(r.errorFields()).as(c.getValue()).contains(field);
        }
        Reply unknown = call("POST", ROLLOUTS, "admin", cases.get("tenants "));
        assertThat(unknown.errors()).extracting(e -> (String) e.get("message"))
                .anySatisfy(m -> assertThat(m).contains(unknownA, unknownB).doesNotContain(t));
        Reply twice = call("POST", ROLLOUTS, "admin", cases.get("tenants  "));
        assertThat(twice.errors()).extracting(e -> (String) e.get("message"))
                .anySatisfy(m -> assertThat(m).contains(t));
        assertThat(total()).as("rollouts stored").isEqualTo(before);
        assertThat(storedJobs(t)).isZero();
    }

    @Test
    void aRolloutIsPausedResumedAndAbortedAndAMoveItsStatusRefusesIsAConflict() throws Exception {
        AWX.defaultScript(RunScript.hang());
        List<String> ids = pendingTenants(3);
        String id = (String) call("POST", ROLLOUTS, "admin", provision("\"tenants\": " + json(ids)
                + ", \"plan\": {\"max_parallel\": 1}")).json().get("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Map<?, ?>) call("GET", ROLLOUTS + "/" + id, "viewer",
                null).json().get("tenants")).get("started").equals(1L));

        Reply paused = call("POST", ROLLOUTS + "/" + id + "/pause", "admin", null);
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json()).containsEntry("status", "paused");
        Reply again = call("POST", ROLLOUTS + "/" + id + "/pause", "admin", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(again.json()).containsEntry("rollout_status", "paused");

        Reply bad = call("POST", ROLLOUTS + "/" + id + "/resume", "admin", "{\"failed\": \"forget\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorFields()).containsExactly("failed");
        Reply unknownField = call("POST", ROLLOUTS + "/" + id + "/resume", "admin", "{\"retry\": true}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.errorFields()).containsExactly("retry");
        Reply resumed = call("POST", ROLLOUTS + "/" + id + "/resume", "admin", "{\"failed\": \"skip\"}");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json()).containsEntry("status", "running");

        Reply aborting = call("POST", ROLLOUTS + "/" + id + "/abort", "admin", "{\"cancel_running_jobs\": true}");
        assertThat(aborting.status()).isEqualTo(200);
        assertThat(aborting.json()).containsEntry("status", "aborting");
        await().atMost(Duration.ofSeconds(30)).until(() -> "aborted".equals(
                call("GET", ROLLOUTS + "/" + id, "viewer", null).json().get("status")));
        Map<String, Object> aborted = call("GET", ROLLOUTS + "/" + id, "viewer", null).json();
        assertThat(aborted.get("status_reason")).isNotNull();
        assertThat(((Map<?, ?>) aborted.get("tenants")).get("skipped")).isEqualTo(2L);
        assertThat(call("POST", ROLLOUTS + "/" + id + "/resume", "admin", null).status()).isEqualTo(409);
        assertThat(call("POST", ROLLOUTS + "/" + id + "/abort", "admin", null).status()).isEqualTo(409);
        Reply waiting = call("GET", ROLLOUTS + "/" + id + "/tenants?status=waiting", "viewer", null);
        assertThat(waiting.json()).containsEntry("total", 0L);
    }

    @Test
    void anUnknownRolloutIsNotFoundAndBadParametersAreNamed() throws Exception {
        for (String path : List.of("/nope", "/nope/tenants", "/nope/events")) {
            Reply r = call("GET", ROLLOUTS + path, "viewer", null);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
        }
        for (String action : List.of("pause", "resume", "abort")) {
            assertThat(call("POST", ROLLOUTS + "/nope/" + action, "admin", null).status()).as(action).isEqualTo(404);
        }
        Map<String, String> bad = Map.of("?page=0", "page", "?page_size=101", "page_size", "?page=x", "page");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Reply r = call("GET", ROLLOUTS + b.getKey(), "viewer", null);
            assertThat(r.status()).as(b.getKey()).isEqualTo(400);
            assertThat(r.errorFields()).containsExactly(b.getValue());
        }
        String id = (String) call("POST", ROLLOUTS, "admin", provision("\"tenants\": " + json(pendingTenants(1))))
                .json().get("id");
        Reply status = call("GET", ROLLOUTS + "/" + id + "/tenants?status=done", "viewer", null);
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.errorFields()).containsExactly("status");
        assertThat(call("GET", ROLLOUTS + "/" + id + "/tenants?page_size=1001", "viewer", null).errorFields())
                .containsExactly("page_size");
    }

    @Test
    void readsNeedTheReadAuthorityWritesTheWriteAuthorityAndEveryCallAnAuthenticatedCaller() throws Exception {
        List<String> ids = pendingTenants(1);
        AWX.defaultScript(RunScript.hang());
        String body = provision("\"tenants\": " + json(ids) + ", \"plan\": {\"max_parallel\": 1}");
        long before = total();
        for (String user : List.of("viewer", "intruder", "tenant-admin")) {
            Reply r = call("POST", ROLLOUTS, user, body);
            assertThat(r.status()).as(user).isEqualTo(403);
        }
        assertThat(call("POST", ROLLOUTS, null, body).status()).isEqualTo(401);
        assertThat(total()).as("rollouts stored").isEqualTo(before);

        String id = (String) call("POST", ROLLOUTS, "admin", body).json().get("id");
        List<String> writes = List.of("/" + id + "/pause", "/" + id + "/resume", "/" + id + "/abort");
        for (String write : writes) {
            assertThat(call("POST", ROLLOUTS + write, "viewer", null).status()).as("viewer " + write).isEqualTo(403);
            assertThat(call("POST", ROLLOUTS + write, null, null).status()).as("anonymous " + write).isEqualTo(401);
        }
        List<String> reads = List.of("", "/" + id, "/" + id + "/tenants", "/" + id + "/events");
        for (String read : reads) {
            assertThat(call("GET", ROLLOUTS + read, "viewer", null).status()).as("viewer " + read).isEqualTo(200);
            assertThat(call("GET", ROLLOUTS + read, "intruder", null).status()).as("intruder " + read)
                    .isEqualTo(403);
            assertThat(call("GET", ROLLOUTS + read, "tenant-admin", null).status()).as("tenant-admin " + read)
                    .isEqualTo(403);
            assertThat(call("GET", ROLLOUTS + read, null, null).status()).as("anonymous " + read).isEqualTo(401);
        }
        assertThat(call("GET", ROLLOUTS + "/" + id, "viewer", null).json()).containsEntry("status", "running");
        call("POST", ROLLOUTS + "/" + id + "/abort", "admin", "{\"cancel_running_jobs\": true}");
    }

    private List<String> pendingTenants(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "r-" + UUID.randomUUID().toString().substring(0, 8);
            insertTenant(id, "pending");
            ids.add(id);
        }
        return ids;
    }

    private String statusOf(String tenantId) {
        return jdbc.queryForObject("SELECT status FROM tenants WHERE id = ?", String.class, tenantId);
    }

    private long total() throws Exception {
        return (Long) call("GET", ROLLOUTS, "viewer", null).json().get("total");
    }

    private static String provision(String rest) {
        return "{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\", " + rest + "}";
    }

    private static String json(List<String> ids) {
        return ids.stream().map(i -> "\"" + i + "\"").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Reply r) {
        return (List<Map<String, Object>>) r.json().get("items");
    }
}
