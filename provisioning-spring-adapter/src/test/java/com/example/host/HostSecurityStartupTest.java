package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 22: the starter in a host application with security chains of its own ({@link HostSecurityApplication}).
 * The start-up is quiet (no WARN line at all, in particular none of Spring Security's), logs the library's effective
 * configuration once at INFO without a secret, callbacks reach the controller and are judged by the job token only,
 * and every other library path still needs the host's authentication.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = HostSecurityApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.banner-mode=off")
class HostSecurityStartupTest {
    private static final String CALLBACK_SECRET = "host-callback-secret-3f9a71c2e8b04d56a1";
    private static final FakeAwx AWX = new FakeAwx();

    static {
        try {
            AWX.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> "jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        r.add("spring.sql.init.mode", () -> "never");
        r.add("provisioning.awx.base-url", AWX::baseUrl);
        r.add("provisioning.awx.token", () -> FakeAwx.TOKEN);
        r.add("provisioning.awx.job-templates.provision", () -> FakeAwx.PROVISION_TEMPLATE);
        r.add("provisioning.awx.job-templates.upgrade", () -> FakeAwx.UPGRADE_TEMPLATE);
        r.add("provisioning.awx.job-templates.decommission", () -> FakeAwx.DECOMMISSION_TEMPLATE);
        r.add("provisioning.awx.organization-id", () -> FakeAwx.ORGANIZATION);
        r.add("provisioning.tenants.table", () -> "customers");
        r.add("provisioning.callback.base-url", () -> "https://platform.example.com");
        r.add("provisioning.callback.secret", () -> CALLBACK_SECRET);
        r.add("provisioning.engine.poll-interval", () -> "250ms");
        r.add("provisioning.engine.sweep-interval", () -> "100ms");
        r.add("provisioning.engine.max-concurrent-runs", () -> "7");
    }

    @AfterAll
    static void stopAwx() throws IOException {
        AWX.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TenantProvisioner provisioner;

    @Autowired
    ApplicationContext context;

    /** What the start-up logged: the output before the first test, whichever runs first. */
    private static @Nullable String startup;

    private final HttpClient http = HttpClient.newHttpClient();
    private String tenant = "";

    @BeforeEach
    void aCustomer(CapturedOutput output) {
        if (startup == null) {
            startup = output.getAll();
        }
        jdbc.execute("CREATE TABLE IF NOT EXISTS customers (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(63) NOT NULL, "
                + "status VARCHAR(40) NOT NULL)");
        tenant = "c-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO customers (id, slug, status) VALUES (?, ?, ?)", tenant, tenant, "pending");
        AWX.defaultScript(RunScript.hang());
    }

    @Test
    void theStartUpHasNoWarningAtAll() {
        List<String> warnings = startup().lines().filter(l -> l.contains(" WARN ")).toList();

        assertThat(warnings).isEmpty();
        assertThat(startup()).doesNotContain("You are asking Spring Security to ignore");
    }

    @Test
    void theStartUpLogsTheEffectiveConfigurationOnceWithoutASecret(CapturedOutput output) {
        List<String> lines = startup().lines().filter(l -> l.contains("tenant provisioning started")).toList();

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains(" INFO ")
                .contains("node " + provisioner.settings().nodeId())
                .contains("runner=awx").contains("repository=jdbc").contains("dialect=H2")
                .contains("poll=250ms").contains("sweep=100ms").contains("job-timeout=2h")
                .contains("pending-timeout=30m").contains("lease=20s").contains("callback=on")
                .contains("max-concurrent-runs=7").contains("retention=off");
        assertThat(output.getAll()).doesNotContain(FakeAwx.TOKEN).doesNotContain(CALLBACK_SECRET);
    }

    @Test
    void theLibraryContributesItsOwnChainForTheCallbackOnly() {
        assertThat(context.containsBean("provisioningCallbackSecurityFilterChain")).isTrue();
    }

    @Test
    void aCallbackWithTheJobTokenReachesTheControllerAndOthersAreRefused() throws Exception {
        String id = provisioner.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED)).id();
        String callback = "/api/v1/tenants/" + tenant + "/provisioning/jobs/" + id + "/callback";
        String body = "{\"tenant_id\": \"" + tenant + "\", \"provisioning_job_id\": \"" + id
                + "\", \"status\": \"running\"}";

        HttpResponse<String> none = post(callback, body);
        HttpResponse<String> forged = post(callback, body, "Authorization", "Bearer forged");
        HttpResponse<String> hostUser = post(callback, body, "Authorization", basic("operator"));
        HttpResponse<String> good = post(callback, body, "Authorization", "Bearer " + provisioner.callbackToken(id));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(hostUser.statusCode()).isEqualTo(401);
        assertThat(good.statusCode()).isEqualTo(204);
        assertThat(good.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void everyOtherLibraryPathStillNeedsTheHostsAuthentication() throws Exception {
        String id = provisioner.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED)).id();
        String jobs = "/api/v1/tenants/" + tenant + "/provisioning/jobs";
        String token = "Bearer " + provisioner.callbackToken(id);

        assertThat(send("GET", jobs, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", jobs + "/" + id, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", jobs + "/" + id + "/events", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", jobs + "/" + id + "/callback", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", jobs, null, "Authorization", token).statusCode()).isEqualTo(401);
        assertThat(send("POST", jobs, "{\"deployment_mode\": \"dotmac_hosted\"}").statusCode()).isIn(401, 403);
        assertThat(send("POST", jobs + "/" + id + "/cancel", null, "Authorization", token).statusCode())
                .isIn(401, 403);
        assertThat(send("POST", jobs + "/" + id + "/retry", null).statusCode()).isIn(401, 403);
        assertThat(send("POST", jobs + "/" + id + "/callback/more", "{}", "Authorization", token).statusCode())
                .isIn(401, 403);
        assertThat(send("GET", jobs, null, "Authorization", basic("clerk")).statusCode()).isEqualTo(403);
        assertThat(send("GET", jobs, null, "Authorization", basic("operator")).statusCode()).isEqualTo(200);
        assertThat(provisioner.job(id).orElseThrow().status().wireName()).isNotEqualTo("cancelled");
    }

    private static String startup() {
        String captured = startup;
        assertThat(captured).as("the start-up output").isNotNull();
        return Objects.requireNonNull(captured);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return send("POST", path, body, headers);
    }

    private HttpResponse<String> send(String method, String path, @Nullable String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + HostSecurityApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
