package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.spi.TenantCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint on a real server (random port) with the JDBC repository on H2, the AWX runner against a fake AWX,
 * and the host's Spring Security.
 */
class ProvisioningApiIntegrationTest extends ApiTestBase {
    // ---- the happy path -----------------------------------------------------------------------------------------------

    @Test
    void aJobIsCreatedRunThroughAwxAndTheTenantProvisioned() throws Exception {
        Reply created = create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"region\": \"eu\"}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().get("content-type")).startsWith("application/json");
        Map<String, Object> job = created.json();
        assertThat(job).containsEntry("status", "queued").containsEntry("tenant_id", tenant)
                .containsEntry("operation", "provision").containsEntry("deployment_mode", "dotmac_hosted")
                .containsEntry("requested_by", "admin").containsEntry("extra_vars", Map.of("region", "eu"));
        assertThat(job).containsKeys("id", "awx_template_id", "awx_job_id", "started_at", "finished_at",
                "retry_count", "error_code", "error_message", "connection_profile", "artifacts",
                "last_acknowledged_at", "created_at", "updated_at");
        String id = (String) job.get("id");
        assertThat(created.headers().get("location")).endsWith(jobs() + "/" + id);

        Map<String, Object> done = awaitStatus(id, "succeeded");
        assertThat(done.get("awx_job_id")).isInstanceOf(Long.class);
        assertThat(done.get("awx_template_id")).isEqualTo(FakeAwx.PROVISION_TEMPLATE);
        assertThat(done.get("artifacts")).isEqualTo(Map.of("tenant_url", "https://x.example.com"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "provisioned".equals(tenantStatus()));
        assertThat(provisioner.repository()).isInstanceOf(JdbcJobRepository.class);
        assertThat(AWX.launches()).anySatisfy(l -> assertThat(l.extraVars())
                .containsEntry("provisioning_job_id", id).containsEntry("region", "eu"));
    }

    @Test
    void theListIsPagedNewestFirstWithTheTotal() throws Exception {
        AWX.defaultScript(RunScript.finishAfter(0, "failed"));
        String first = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        awaitStatus(first, "failed");
        String second = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");

        Reply page = call("GET", jobs() + "?page=1&page_size=1", "viewer", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json()).containsEntry("total", 2L).containsEntry("page", 1L).containsEntry("page_size", 1L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.json().get("items");
        assertThat(items).extracting(i -> i.get("id")).containsExactly(second);
        assertThat(call("GET", jobs(), "viewer", null).json()).containsEntry("page_size", 20L);
        for (String bad : List.of("page_size=0", "page_size=101", "page=0", "page=abc", "page_size=x")) {
            Reply r = call("GET", jobs() + "?" + bad, "viewer", null);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(r.errorFields()).containsAnyOf("page", "page_size");
        }
    }

    @Test
    void getAndEventsOfAJob() throws Exception {
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        awaitStatus(id, "succeeded");

        Reply events = call("GET", jobs() + "/" + id + "/events", "viewer", null);

        assertThat(events.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) events.json().get("items");
        assertThat(items).extracting(e -> e.get("type")).contains("created", "launch_pending", "status_changed");
        assertThat(items).filteredOn(e -> "status_changed".equals(e.get("type"))).extracting(e -> e.get("to"))
                .containsExactly("in_progress", "succeeded");
        assertThat(call("GET", jobs() + "/nope", "viewer", null).status()).isEqualTo(404);
        assertThat(call("GET", jobs() + "/nope/events", "viewer", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/tenants/other/provisioning/jobs/" + id, "viewer", null).status())
                .isEqualTo(404);
    }

    @Test
    void aJobShowsWhenItsRunStartedRunningAndTheDeadlineCountsFromIt() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        assertThat(call("GET", jobs() + "/" + id, "viewer", null).json()).containsKey("run_started_at");
        awaitStatus(id, "in_progress");

        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", jobs() + "/" + id, "viewer", null).json()
                .get("run_started_at") != null);
        Map<String, Object> running = call("GET", jobs() + "/" + id, "viewer", null).json();
        Instant runStarted = Instant.parse((String) running.get("run_started_at"));
        assertThat(runStarted).isAfterOrEqualTo(Instant.parse((String) running.get("started_at")));
        assertThat(Instant.parse((String) running.get("deadline")))
                .isEqualTo(runStarted.plus(provisioner.settings().jobTimeout()));
        call("POST", jobs() + "/" + id + "/cancel", "admin", null);
        awaitStatus(id, "cancelled");
    }

    // ---- cancel and retry -------------------------------------------------------------------------------------------

    @Test
    void cancelStopsTheRunAndConflictsOnceFinished() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        awaitStatus(id, "in_progress");

        Reply cancel = call("POST", jobs() + "/" + id + "/cancel", "admin", "{\"reason\": \"wrong plan\"}");

        assertThat(cancel.status()).isEqualTo(202);
        Map<String, Object> done = awaitStatus(id, "cancelled");
        assertThat(done.get("error_message")).isEqualTo("cancelled by admin: wrong plan");
        Reply again = call("POST", jobs() + "/" + id + "/cancel", "admin", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json()).containsEntry("job_status", "cancelled");
        assertThat(call("POST", jobs() + "/nope/cancel", "admin", null).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(5)).until(() -> "failed_provisioning".equals(tenantStatus()));
    }

    @Test
    void retryCreatesALinkedJobAndConflictsForASucceededOne() throws Exception {
        AWX.defaultScript(RunScript.failAfter(0, "Render compose file", "dc1-control-01", "template error"));
        String failed = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        Map<String, Object> failedJob = awaitStatus(failed, "failed");
        assertThat((String) failedJob.get("error_message"))
                .contains("task 'Render compose file' failed on host dc1-control-01");
        AWX.defaultScript(RunScript.succeedAfter(0));

        Reply retry = call("POST", jobs() + "/" + failed + "/retry", "admin", null);

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json()).containsEntry("retry_of", failed).containsEntry("status", "queued");
        String id = (String) retry.json().get("id");
        assertThat(retry.headers().get("location")).endsWith("/" + id);
        awaitStatus(id, "succeeded");
        assertThat(call("POST", jobs() + "/" + id + "/retry", "admin", null).status()).isEqualTo(409);
        assertThat(call("POST", jobs() + "/nope/retry", "admin", null).status()).isEqualTo(404);
    }

    // ---- conflicts and idempotency --------------------------------------------------------------------------------

    @Test
    void aSecondJobWhileOneIsActiveConflictsAndAnUnknownTenantIsNotFound() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");

        Reply second = create("{\"deployment_mode\": \"dotmac_hosted\"}");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json()).containsEntry("active_job_id", id);
        assertThat(call("POST", "/api/v1/tenants/ghost/provisioning/jobs", "admin",
                "{\"deployment_mode\": \"dotmac_hosted\"}").status()).isEqualTo(404);
        call("POST", jobs() + "/" + id + "/cancel", "admin", null);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() throws Exception {
        String body = "{\"deployment_mode\": \"dotmac_hosted\"}";
        Reply first = call("POST", jobs(), "admin", body, "Idempotency-Key", "req-42");
        Reply again = call("POST", jobs(), "admin", body, "Idempotency-Key", "req-42");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(call("GET", jobs(), "admin", null).json()).containsEntry("total", 1L);
    }

    // ---- security ---------------------------------------------------------------------------------------------------

    @Test
    void withoutCredentialsEverythingButTheCallbackIs401() throws Exception {
        assertThat(call("GET", jobs(), null, null).status()).isEqualTo(401);
        assertThat(call("POST", jobs(), null, "{\"deployment_mode\": \"dotmac_hosted\"}").status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE tenant_id = ?",
                Long.class, tenant)).isZero();
    }

    @Test
    void aReaderCannotWriteAndAStrangerCannotRead() throws Exception {
        Reply write = call("POST", jobs(), "viewer", "{\"deployment_mode\": \"dotmac_hosted\"}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(write.json().get("detail")).isEqualTo("the authority 'platform:tenants:write' is required");
        assertThat(call("GET", jobs(), "viewer", null).status()).isEqualTo(200);
        assertThat(call("GET", jobs(), "intruder", null).status()).isEqualTo(403);
        assertThat(tenantStatus()).isEqualTo("pending");
    }

    // ---- callback ---------------------------------------------------------------------------------------------------

    @Test
    void theCallbackAuthenticatesByTheJobTokenOnly() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        String other = otherTenantsJob();
        String token = (String) AWX.launches().stream()
                .filter(l -> id.equals(l.extraVars().get("provisioning_job_id"))).findFirst().orElseThrow()
                .extraVars().get("platform_callback_token");
        assertThat(token).isEqualTo(provisioner.callbackToken(id));
        String callback = jobs() + "/" + id + "/callback";
        String body = "{\"tenant_id\": \"" + tenant + "\", \"provisioning_job_id\": \"" + id
                + "\", \"awx_job_id\": 12, \"status\": \"succeeded\", \"artifacts\": {\"tenant_url\": \"https://t\"}}";

        Reply good = call("POST", callback, null, body, "Authorization", "Bearer " + token);
        Reply bad = call("POST", callback, null, body, "Authorization", "Bearer forged");
        Reply none = call("POST", callback, null, body);
        Reply othersToken = call("POST", callback, null, body, "Authorization",
                "Bearer " + provisioner.callbackToken(other));
        Reply basicAdmin = call("POST", callback, "admin", body);

        assertThat(good.status()).isEqualTo(204);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.headers().get("www-authenticate")).isEqualTo("Bearer");
        assertThat(none.status()).isEqualTo(401);
        assertThat(othersToken.status()).isEqualTo(401);
        assertThat(basicAdmin.status()).isEqualTo(401);
        Map<String, Object> job = call("GET", jobs() + "/" + id, "admin", null).json();
        assertThat(job.get("last_acknowledged_at")).isNotNull();
        assertThat(job.get("artifacts")).isEqualTo(Map.of("tenant_url", "https://t"));

        call("POST", jobs() + "/" + id + "/cancel", "admin", null);
        awaitStatus(id, "cancelled");
        Thread.onSpinWait();
        await().atMost(Duration.ofSeconds(2)).until(() -> call("POST", callback, null, body,
                "Authorization", "Bearer " + token).status() == 409);
        assertThat(call("POST", "/api/v1/tenants/" + tenant + "/provisioning/jobs/missing/callback", null, body,
                "Authorization", "Bearer " + provisioner.callbackToken("missing")).status()).isEqualTo(404);
    }

    private String otherTenantsJob() throws Exception {
        String otherTenant = "o-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO tenants (id, slug, status) VALUES (?, ?, ?)", otherTenant, otherTenant, "pending");
        return (String) call("POST", "/api/v1/tenants/" + otherTenant + "/provisioning/jobs", "admin",
                "{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
    }

    // ---- bad input ----------------------------------------------------------------------------------------------------

    @Test
    void badBodiesAre400ProblemsNamingTheField() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{not json", "body");
        cases.put("[1, 2]", "body");
        cases.put("{\"deployment_mode\": 7}", "deployment_mode");
        cases.put("{\"deployment_mode\": \"on_mars\"}", "deployment_mode");
        cases.put("{}", "deployment_mode");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"operation\": \"explode\"}", "operation");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"awx_template_id\": \"14\"}", "awx_template_id");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": [1]}", "extra_vars");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"x\": \"{{ 7*7 }}\"}}",
                "extra_vars.x");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"tenant_id\": \"x\"}}",
                "extra_vars.tenant_id");
        cases.put("{\"deployment_mode\": \"customer_hosted\"}", "connection_profile");
        cases.put("{\"deployment_mode\": \"customer_hosted\", \"connection_profile\": {\"host\": \"h.example\", "
                + "\"user\": \"deploy\", \"credential_ref\": \"5\", \"ssh_private_key\": \"-----BEGIN\"}}",
                "connection_profile.ssh_private_key");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"deployment_mod\": \"x\"}", "deployment_mod");
        cases.put("{\"deployment_mode\": \"dotmac_hosted\", \"operation\": \"upgrade\"}", "release_version");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Reply r = create(c.getKey());
            assertThat(r.status()).as(c.getKey()).isEqualTo(400);
            assertThat(r.headers().get("content-type")).as(c.getKey()).startsWith("application/problem+json");
            assertThat(r.errorFields()).as(c.getKey()).contains(c.getValue());
        }
        Reply noBody = call("POST", jobs(), "admin", null);
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.errorFields()).contains("body");
        Reply huge = create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"x\": \""
                + "a".repeat(300_000) + "\"}}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.errorFields()).contains("body");
        Reply text = call("POST", jobs(), "admin", "deployment_mode=dotmac_hosted", "Content-Type", "text/plain");
        assertThat(text.status()).isIn(400, 415);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE tenant_id = ?",
                Long.class, tenant)).isZero();
        assertThat(tenantStatus()).isEqualTo("pending");
    }

    @Test
    void aJobWithAllFieldsRoundTrips() throws Exception {
        AWX.defaultScript(RunScript.hang());
        credentials.register(new TenantCredential(tenant, "7", "7", Set.of()));
        Reply r = create("{\"deployment_mode\": \"customer_hosted\", \"operation\": \"provision\", "
                + "\"extra_vars\": {\"plan\": \"gold\", \"sites\": [\"a\", \"b\"]}, \"release_version\": \"2.1.0\", "
                + "\"connection_profile\": {\"host\": \"203.0.113.5\", \"port\": 2222, \"user\": \"deploy\", "
                + "\"credential_ref\": \"7\", \"bastion\": {\"host\": \"jump.example.com\", \"user\": \"ops\"}}}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json()).containsEntry("release_version", "2.1.0")
                .containsEntry("extra_vars", Map.of("plan", "gold", "sites", List.of("a", "b")));
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = (Map<String, Object>) r.json().get("connection_profile");
        assertThat(profile).containsEntry("host", "203.0.113.5").containsEntry("port", 2222L)
                .containsEntry("credential_ref", "7");
        String id = (String) r.json().get("id");
        awaitStatus(id, "in_progress");
        call("POST", jobs() + "/" + id + "/cancel", "admin", null);
        assertThat(provisioner.job(id).orElseThrow().status()).isIn(JobStatus.IN_PROGRESS, JobStatus.CANCELLED);
    }
}
