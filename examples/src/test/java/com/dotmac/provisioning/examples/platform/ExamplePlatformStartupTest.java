package com.dotmac.provisioning.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example platform as {@code main} starts it (its runner chosen by itself, the demo tenant provisioned), with only
 * the database in memory and its files in a scratch directory: no WARN line but the simulation notice, the effective
 * configuration logged once, and health details shown only to its users.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = ExamplePlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        useMainMethod = SpringBootTest.UseMainMethod.ALWAYS,
        properties = "spring.datasource.url=jdbc:h2:mem:example-startup;DB_CLOSE_DELAY=-1")
class ExamplePlatformStartupTest {
    private static final String SIMULATION_NOTICE = "*** NOTICE: no AWX";

    @DynamicPropertySource
    static void scratch(DynamicPropertyRegistry r) throws Exception {
        Path data = Files.createTempDirectory("example-startup");
        r.add("provisioning.ansible.workspace", () -> data.resolve("ansible-runs").toString());
        r.add("provisioning.ansible.extra-vars.tenant_workspace_root", () -> data.resolve("tenants").toString());
    }

    @LocalServerPort
    int port;

    @Test
    void aDefaultRunLogsNoWarningButTheSimulationNotice(CapturedOutput output) throws Exception {
        PlatformClient client = new PlatformClient(port);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                client.call("GET", "/api/v1/tenants/demo", "viewer", "viewer-demo-password", null).body())
                .contains("\"status\":\"provisioned\""));

        List<String> warnings = output.getAll().lines().filter(l -> l.contains(" WARN "))
                .filter(l -> !l.contains(SIMULATION_NOTICE)).toList();
        assertThat(warnings).isEmpty();
        assertThat(output.getAll().lines().filter(l -> l.contains("tenant provisioning started on node")))
                .singleElement().asString().contains(" INFO ").contains("repository=jdbc").contains("dialect=H2")
                .contains("callback=on").doesNotContain("change-me-this-is-a-demo-secret");
    }

    @Test
    void healthDetailsAreShownOnlyToThePlatformsUsers() throws Exception {
        PlatformClient client = new PlatformClient(port);

        HttpResponse<String> anonymous = client.anonymous("GET", "/actuator/health");
        HttpResponse<String> stranger = client.call("GET", "/actuator/health", "admin", "wrong-password", null);
        HttpResponse<String> viewer = client.call("GET", "/actuator/health", "viewer", "viewer-demo-password", null);

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("components")
                .doesNotContain("provisioning").doesNotContain("details");
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(viewer.statusCode()).isEqualTo(200);
        assertThat(viewer.body()).contains("\"provisioning\"").contains("\"details\"");
    }
}
