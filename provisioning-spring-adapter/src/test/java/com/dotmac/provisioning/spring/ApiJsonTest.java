package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.spring.RestCalls.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API's JSON: strict reading (duplicate keys, unknown properties, trailing content, scalar coercions are
 * refused, naming the field, with nothing stored), its own snake_case mapper applied to its endpoints only, and the
 * host's Jackson settings carried through (the test host indents its JSON).
 */
class ApiJsonTest extends ApiTestBase {
    private void assertRefused(Reply r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(r.errorFields()).as(r.body()).containsExactly(field);
        assertThat(storedJobs(tenant)).isZero();
        assertThat(launchesFor(tenant)).isZero();
    }

    @Test
    void aDuplicateKeyIs400NamingIt() throws Exception {
        assertRefused(create("{\"deployment_mode\": \"dotmac_hosted\", \"deployment_mode\": \"customer_hosted\"}"),
                "deployment_mode");
        assertRefused(create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"region\": \"eu\", "
                + "\"region\": \"us\"}}"), "extra_vars.region");
    }

    @Test
    void anUnknownPropertyIs400NamingItAndTheKnownOnes() throws Exception {
        Reply r = create("{\"deployment_mode\": \"dotmac_hosted\", \"deploymentMode\": \"dotmac_hosted\"}");

        assertRefused(r, "deploymentMode");
        assertThat(r.errors().get(0).get("message")).asString().contains("deployment_mode", "extra_vars",
                "connection_profile", "awx_template_id");
    }

    @Test
    void trailingContentIs400() throws Exception {
        assertRefused(create("{\"deployment_mode\": \"dotmac_hosted\"} trailing"), "body");
        assertRefused(create("{\"deployment_mode\": \"dotmac_hosted\"} {\"deployment_mode\": \"x\"}"), "body");
    }

    @Test
    void scalarsAreNotCoercedAndValuesAreNotEchoed() throws Exception {
        assertRefused(create("{\"deployment_mode\": \"dotmac_hosted\", \"release_version\": 2}"), "release_version");
        assertRefused(create("{\"deployment_mode\": \"dotmac_hosted\", \"awx_template_id\": 14.0}"),
                "awx_template_id");
        Reply secret = create("{\"deployment_mode\": \"dotmac_hosted\", \"awx_template_id\": "
                + "\"hunter2-secret-value\"}");
        assertRefused(secret, "awx_template_id");
        assertThat(secret.body()).doesNotContain("hunter2");
        Reply bare = create("{\"deployment_mode\": hunter2-secret-value}");
        assertRefused(bare, "body");
        assertThat(bare.body()).doesNotContain("hunter2");
    }

    @Test
    void callbackAndCancelBodiesAreReadStrictlyToo() throws Exception {
        String id = (String) create("{\"deployment_mode\": \"dotmac_hosted\"}").json().get("id");
        String bearer = "Bearer " + provisioner.callbackToken(id);

        Reply unknown = call("POST", jobs() + "/" + id + "/callback", null, "{\"state\": \"ok\"}",
                "Authorization", bearer);
        Reply cancel = call("POST", jobs() + "/" + id + "/cancel", "admin", "{\"reason\": 5}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorFields()).containsExactly("state");
        assertThat(cancel.status()).isEqualTo(400);
        assertThat(cancel.errorFields()).containsExactly("reason");
    }

    @Test
    void theHostsOwnJsonKeepsTheHostsConventions() throws Exception {
        Reply host = call("POST", "/host/echo", "admin", "{\"tenantName\": \"Acme\", \"unknown_to_host\": 1}");

        assertThat(host.status()).as(host.body()).isEqualTo(200);
        assertThat(host.json()).containsEntry("tenantName", "Acme").containsKey("note");
        assertThat(host.body()).doesNotContain("tenant_name");
    }

    @Test
    void theApiCarriesTheHostsJacksonSettingsThrough() throws Exception {
        Reply created = create("{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"sites\": [\"a\"]}}");
        Reply problem = create("{}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).as("indented by the host's setting").contains("\n  \"tenant_id\" : ");
        assertThat(created.json()).containsEntry("extra_vars", Map.of("sites", List.of("a")));
        assertThat(problem.body()).contains("\n  \"status\" : 400");
    }
}
