package com.dotmac.provisioning.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Boots the example platform on a random port and provisions a tenant over HTTP with the simulated runner. */
@SpringBootTest(classes = ExamplePlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:example-smoke;DB_CLOSE_DELAY=-1",
            "provisioning.runner=scripted", "example.demo-tenant.enabled=false",
            "provisioning.engine.poll-interval=100ms", "provisioning.engine.sweep-interval=50ms"})
class ExamplePlatformSmokeTest {
    @LocalServerPort
    int port;

    private HttpResponse<String> call(String method, String path, String user, String password, String body)
            throws Exception {
        return new PlatformClient(port).call(method, path, user, password, body);
    }

    @Test
    void aTenantIsCreatedAndProvisionedOverHttp() throws Exception {
        HttpResponse<String> tenant = call("POST", "/api/v1/tenants", "admin", "admin-demo-password",
                "{\"id\": \"acme\", \"slug\": \"acme\", \"name\": \"Acme Networks\"}");
        assertThat(tenant.statusCode()).isEqualTo(201);

        HttpResponse<String> job = call("POST", "/api/v1/tenants/acme/provisioning/jobs", "admin",
                "admin-demo-password", "{\"deployment_mode\": \"dotmac_hosted\"}");
        assertThat(job.statusCode()).isEqualTo(201);
        assertThat(job.body()).contains("\"status\":\"queued\"");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                call("GET", "/api/v1/tenants/acme", "viewer", "viewer-demo-password", null).body())
                .contains("\"status\":\"provisioned\""));
        assertThat(call("GET", "/api/v1/tenants/acme/provisioning/jobs", "viewer", "viewer-demo-password", null)
                .body()).contains("\"status\":\"succeeded\"").contains("\"total\":1");
    }

    @Test
    void theViewerReadsButCannotWrite() throws Exception {
        assertThat(call("POST", "/api/v1/tenants", "viewer", "viewer-demo-password",
                "{\"id\": \"v1\", \"slug\": \"v1\", \"name\": \"V\"}").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/tenants/acme/provisioning/jobs", "viewer", "viewer-demo-password",
                "{\"deployment_mode\": \"dotmac_hosted\"}").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/tenants/nobody", "admin", "wrong-password", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aBadTenantIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/tenants", "admin", "admin-demo-password",
                "{\"id\": \"ok-id\", \"slug\": \"Not A Label\", \"name\": \"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("slug");
    }

    @Test
    void aTenantsCustomerHostedJobsUseItsOwnRegisteredCredentialsOnly() throws Exception {
        for (String id : new String[] {"north", "south"}) {
            assertThat(call("POST", "/api/v1/tenants", "admin", "admin-demo-password",
                    "{\"id\": \"" + id + "\", \"slug\": \"" + id + "\", \"name\": \"" + id + "\"}").statusCode())
                    .isEqualTo(201);
        }
        String profile = "\"connection_profile\": {\"host\": \"203.0.113.7\", \"user\": \"deploy\", "
                + "\"credential_ref\": \"%s\"}";

        HttpResponse<String> foreign = call("POST", "/api/v1/tenants/north/provisioning/jobs", "admin",
                "admin-demo-password", "{\"deployment_mode\": \"customer_hosted\", " + profile.formatted("south-ssh")
                        + "}");
        HttpResponse<String> own = call("POST", "/api/v1/tenants/north/provisioning/jobs", "admin",
                "admin-demo-password", "{\"deployment_mode\": \"customer_hosted\", \"extra_vars\": {\"plan\": "
                        + "\"gold\", \"region\": \"eu-west-1\", \"seats\": 25}, " + profile.formatted("north-ssh") + "}");

        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("connection_profile.credential_ref");
        assertThat(own.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                call("GET", "/api/v1/tenants/north", "viewer", "viewer-demo-password", null).body())
                .contains("\"status\":\"provisioned\""));
        HttpResponse<String> registered = call("POST", "/api/v1/tenants/south/credentials", "admin",
                "admin-demo-password", "{\"reference\": \"south-erp\", \"runner_credential\": \"44\", "
                        + "\"hosts\": [\"erp.south.example\"]}");
        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.body()).contains("south-erp").contains("south-ssh");
        assertThat(call("POST", "/api/v1/tenants/south/credentials", "admin", "admin-demo-password",
                "{\"reference\": \"k\", \"runner_credential\": \"-----BEGIN OPENSSH PRIVATE KEY-----\"}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void onlyThePlatformsDeclaredVariablesAreAccepted() throws Exception {
        call("POST", "/api/v1/tenants", "admin", "admin-demo-password",
                "{\"id\": \"west\", \"slug\": \"west\", \"name\": \"West\"}");
        HttpResponse<String> r = call("POST", "/api/v1/tenants/west/provisioning/jobs", "admin",
                "admin-demo-password", "{\"deployment_mode\": \"dotmac_hosted\", \"extra_vars\": {\"plan\": "
                        + "\"diamond\", \"tenant_proxy_reload_command\": [\"sh\", \"-c\", \"id\"]}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("extra_vars.plan").contains("extra_vars.tenant_proxy_reload_command");
        assertThat(call("GET", "/api/v1/tenants/west/provisioning/jobs", "viewer", "viewer-demo-password", null)
                .body()).contains("\"total\":0");
    }
}
