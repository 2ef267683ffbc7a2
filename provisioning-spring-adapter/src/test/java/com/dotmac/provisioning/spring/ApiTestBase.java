package com.dotmac.provisioning.spring;

import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.example.platform.ApiTestApplication;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The REST tests' host ({@link ApiTestApplication}) on a real server (random port): the JDBC repository on H2, the AWX
 * runner against a fake AWX, the host's Spring Security; a fresh tenant per test. Subclasses share one context.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ApiTestBase {
    static final String CALLBACK_SECRET = "0123456789abcdef0123456789abcdef-callback";
    static final long ALLOWED_UPGRADE_TEMPLATE = 31;
    /** Lives as long as the shared context (the JVM): both test classes use it. */
    static final FakeAwx AWX = new FakeAwx();

    static {
        try {
            AWX.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> "jdbc:h2:mem:api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        r.add("provisioning.awx.base-url", AWX::baseUrl);
        r.add("provisioning.awx.token", () -> FakeAwx.TOKEN);
        r.add("provisioning.awx.job-templates.provision", () -> FakeAwx.PROVISION_TEMPLATE);
        r.add("provisioning.awx.job-templates.upgrade", () -> FakeAwx.UPGRADE_TEMPLATE);
        r.add("provisioning.awx.job-templates.decommission", () -> FakeAwx.DECOMMISSION_TEMPLATE);
        r.add("provisioning.awx.organization-id", () -> FakeAwx.ORGANIZATION);
        r.add("provisioning.tenants.table", () -> "tenants");
        r.add("provisioning.callback.base-url", () -> "https://platform.example.com");
        r.add("provisioning.callback.secret", () -> CALLBACK_SECRET);
        r.add("provisioning.callback.grace", () -> "1ms");
        r.add("provisioning.engine.poll-interval", () -> "100ms");
        r.add("provisioning.engine.sweep-interval", () -> "50ms");
        r.add("provisioning.web.event-stream.poll-interval", () -> "50ms");
        r.add("provisioning.web.event-stream.heartbeat", () -> "200ms");
        r.add("provisioning.web.event-stream.max-connections", () -> "4");
        r.add("provisioning.request.extra-vars.region.type", () -> "string");
        r.add("provisioning.request.extra-vars.plan.allowed-values", () -> "gold,silver");
        r.add("provisioning.request.extra-vars.sites.type", () -> "string-list");
        r.add("provisioning.request.template-overrides.upgrade", () -> ALLOWED_UPGRADE_TEMPLATE);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TenantProvisioner provisioner;

    @Autowired
    InMemoryCredentialPolicy credentials;

    String tenant;

    @BeforeEach
    void aTenant() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(63) NOT NULL, "
                + "status VARCHAR(40) NOT NULL)");
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        insertTenant(tenant, "pending");
        AWX.defaultScript(RunScript.succeedAfter(1).withArtifacts(Map.of("tenant_url", "https://x.example.com")));
    }

    void insertTenant(String id, String status) {
        jdbc.update("MERGE INTO tenants (id, slug, status) KEY (id) VALUES (?, ?, ?)", id, id, status);
    }

    Reply call(String method, String path, String user, String body, String... headers) throws Exception {
        return new RestCalls(port).call(method, path, user, body, headers);
    }

    String jobs() {
        return "/api/v1/tenants/" + tenant + "/provisioning/jobs";
    }

    Reply create(String body) throws Exception {
        return call("POST", jobs(), "admin", body);
    }

    String tenantStatus() {
        return jdbc.queryForObject("SELECT status FROM tenants WHERE id = ?", String.class, tenant);
    }

    long storedJobs(String tenantId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE tenant_id = ?", Long.class,
                tenantId);
    }

    long launchesFor(String tenantId) {
        return AWX.launches().stream().filter(l -> tenantId.equals(l.extraVars().get("tenant_id"))).count();
    }

    Map<String, Object> awaitStatus(String jobId, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(
                call("GET", jobs() + "/" + jobId, "admin", null).json().get("status")));
        try {
            return call("GET", jobs() + "/" + jobId, "admin", null).json();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
