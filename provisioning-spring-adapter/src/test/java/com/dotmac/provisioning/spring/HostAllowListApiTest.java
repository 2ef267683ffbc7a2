package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.TenantCredential;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.example.platform.ApiTestApplication;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A request must not steer the host, through the REST API: undeclared extra vars, control characters, template
 * overrides, another tenant's credential, another tenant's jobs and unbounded callbacks are refused, naming the
 * field, with nothing stored and nothing launched.
 */
class HostAllowListApiTest extends ApiTestBase {
    private static final String EXPLOIT = "{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": "
            + "{\"tenant_stack_start\": true, \"tenant_docker_compose_command\": [\"sh\", \"-c\", \"id > pwned\", "
            + "\"x\"]}}";

    private void assertNothingHappened(String tenantId) {
        assertThat(storedJobs(tenantId)).isZero();
        assertThat(launchesFor(tenantId)).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM tenants WHERE id = ?", String.class, tenantId))
                .isEqualTo("pending");
    }

    @Test
    void theExploitRequestIs400NamingBothKeysAndNothingIsStoredOrLaunched() throws Exception {
        Reply r = create(EXPLOIT);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrder("extra_vars.tenant_stack_start",
                "extra_vars.tenant_docker_compose_command");
        assertNothingHappened(tenant);
    }

    @Test
    void settingsPathsAndUndeclaredVariablesAre400() throws Exception {
        for (String body : List.of(
                "{\"tenant_proxy_reload_command\": [\"sh\", \"-c\", \"x\"]}",
                "{\"tenant_workspace_root\": \"/\"}",
                "{\"tenant_proxy_site_file\": \"/etc/nginx/nginx.conf\"}",
                "{\"tenant_public_hostname\": \"x.example.com;\\n location /x { alias /etc/; }\"}",
                "{\"seats\": 5}")) {
            Reply r = create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": " + body + "}");
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorFields()).as(body).singleElement().asString().startsWith("extra_vars.");
        }
        assertNothingHappened(tenant);
    }

    @Test
    void controlCharactersInADeclaredVariableAre400() throws Exception {
        for (String value : List.of("eu\\n location /x { alias /etc/; }", "eu\\r", "eu\\u202e", "eu\\u0000",
                "eu\\u001b[2J")) {
            Reply r = create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"region\": \"" + value
                    + "\"}}");
            assertThat(r.status()).as(value).isEqualTo(400);
            assertThat(r.errorFields()).as(value).containsExactly("extra_vars.region");
        }
        Reply plan = create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"plan\": \"diamond\"}}");
        assertThat(plan.status()).isEqualTo(400);
        assertThat(plan.errors().get(0).get("message")).asString().contains("gold, silver");
        assertNothingHappened(tenant);
    }

    @Test
    void aTemplateOverrideIsAcceptedOnlyFromTheAllowList() throws Exception {
        Reply refused = create("{\"deployment_mode\": \"dotmac_hosted\", \"awx_template_id\": 99}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorFields()).containsExactly("awx_template_id");
        assertThat(refused.errors().get(0).get("message")).asString()
                .contains("provisioning.request.template-overrides.provision");
        assertNothingHappened(tenant);

        insertTenant(tenant, "provisioned");
        AWX.template(ALLOWED_UPGRADE_TEMPLATE);
        Reply allowed = create("{\"deployment_mode\": \"dotmac_hosted\", \"operation\": \"upgrade\", "
                + "\"release_version\": \"2.0.0\", \"awx_template_id\": " + ALLOWED_UPGRADE_TEMPLATE + "}");
        assertThat(allowed.status()).isEqualTo(201);
        org.awaitility.Awaitility.await().until(() -> launchesFor(tenant) == 1);
        assertThat(AWX.launches()).filteredOn(l -> tenant.equals(l.extraVars().get("tenant_id")))
                .singleElement().satisfies(l -> assertThat(l.templateId()).isEqualTo(ALLOWED_UPGRADE_TEMPLATE));
    }

    @Test
    void tenantAsJobWithTenantBsCredentialIs400AndNothingIsStored() throws Exception {
        String other = tenant + "-b";
        insertTenant(other, "pending");
        credentials.register(new TenantCredential(tenant, "a-ssh", "41", Set.of()));
        credentials.register(new TenantCredential(other, "b-ssh", "b-runner-credential", Set.of()));

        Reply r = create("{\"deployment_mode\": \"customer_hosted\", \"connection_profile\": {\"host\": "
                + "\"203.0.113.7\", \"user\": \"deploy\", \"credential_ref\": \"b-ssh\"}}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("connection_profile.credential_ref");
        assertThat(r.body()).doesNotContain("b-runner-credential");
        assertNothingHappened(tenant);
        Reply own = create("{\"deployment_mode\": \"customer_hosted\", \"connection_profile\": {\"host\": "
                + "\"203.0.113.7\", \"user\": \"deploy\", \"credential_ref\": \"a-ssh\"}}");
        assertThat(own.status()).isEqualTo(201);
        org.awaitility.Awaitility.await().until(() -> launchesFor(tenant) == 1);
        assertThat(AWX.launches()).filteredOn(l -> tenant.equals(l.extraVars().get("tenant_id")))
                .singleElement().satisfies(l -> assertThat(l.credentials()).containsExactly(41L));
    }

    @Test
    void aTenantsOwnAdminSeesAndActsOnItsOwnTenantOnly() throws Exception {
        insertTenant(ApiTestApplication.OWN_TENANT, "pending");
        String own = "/api/v1/tenants/" + ApiTestApplication.OWN_TENANT + "/provisioning/jobs";
        AWX.defaultScript(RunScript.hang());

        Reply created = call("POST", own, "tenant-admin", "{\"deployment_mode\": \"dotmac_hosted\"}");
        Reply foreignRead = call("GET", jobs(), "tenant-admin", null);
        Reply foreignWrite = call("POST", jobs(), "tenant-admin", "{\"deployment_mode\": \"dotmac_hosted\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(call("GET", own, "tenant-admin", null).status()).isEqualTo(200);
        assertThat(foreignRead.status()).isEqualTo(403);
        assertThat(foreignWrite.status()).isEqualTo(403);
        assertThat(foreignWrite.json().get("detail")).asString().contains("this tenant");
        assertNothingHappened(tenant);
        assertThat(call("GET", own, "admin", null).status()).isEqualTo(200);
        call("POST", own + "/" + created.json().get("id") + "/cancel", "admin", null);
    }

    @Test
    void connectionProfilesAreShownToWritersOnly() throws Exception {
        credentials.register(new TenantCredential(tenant, "a-ssh", "41", Set.of()));
        AWX.defaultScript(RunScript.hang());
        String id = (String) create("{\"deployment_mode\": \"customer_hosted\", \"connection_profile\": {\"host\": "
                + "\"erp.customer.example\", \"user\": \"deploy\", \"credential_ref\": \"a-ssh\"}}").json().get("id");

        Reply asReader = call("GET", jobs() + "/" + id, "viewer", null);
        Reply listAsReader = call("GET", jobs(), "viewer", null);
        Reply asWriter = call("GET", jobs() + "/" + id, "admin", null);

        assertThat(asReader.status()).isEqualTo(200);
        assertThat(asReader.json()).doesNotContainKey("connection_profile");
        assertThat(asReader.body()).doesNotContain("erp.customer.example").doesNotContain("a-ssh");
        assertThat(listAsReader.body()).doesNotContain("erp.customer.example");
        assertThat(asWriter.json().get("connection_profile")).asString().contains("erp.customer.example");
        call("POST", jobs() + "/" + id + "/cancel", "admin", null);
    }

    @Test
    void callbacksAreBoundedInCountAndSizeAndCannotRewriteTheRunsArtifacts() throws Exception {
        AWX.defaultScript(RunScript.hang());
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        String callback = jobs() + "/" + id + "/callback";
        String bearer = "Bearer " + provisioner.callbackToken(id);
        String big = "x".repeat(CallbackSettings.MAX_ARTIFACTS_LENGTH / 2 + 10);

        assertThat(call("POST", callback, null, "{\"artifacts\": {\"a\": \"" + big + "\"}}", "Authorization",
                bearer).status()).isEqualTo(204);
        Reply tooLarge = call("POST", callback, null, "{\"artifacts\": {\"b\": \"" + big + "\"}}", "Authorization",
                bearer);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json()).containsEntry("reason", "too_large");
        for (int i = 1; i < CallbackSettings.MAX_REPORTS_PER_JOB; i++) {
            assertThat(call("POST", callback, null, "{\"status\": \"running\"}", "Authorization", bearer).status())
                    .isEqualTo(204);
        }
        Reply tooMany = call("POST", callback, null, "{\"status\": \"running\"}", "Authorization", bearer);
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.json()).containsEntry("reason", "too_many_reports");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) call("GET", jobs() + "/" + id + "/events",
                "admin", null).json().get("items");
        assertThat(events).filteredOn(e -> "callback_refused".equals(e.get("type"))).hasSize(2)
                .allSatisfy(e -> assertThat(e.toString()).doesNotContain(big));
        call("POST", jobs() + "/" + id + "/cancel", "admin", null);
    }
}
