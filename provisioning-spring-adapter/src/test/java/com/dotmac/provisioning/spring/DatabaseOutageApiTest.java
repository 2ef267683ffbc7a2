package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.dotmac.provisioning.spring.actuate.ProvisioningHealthIndicator;
import com.example.platform.ApiTestApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The REST API and the health while the provisioning database is down (issue 21, database outage): the host's H2
 * runs as a server (on files) behind the host's HikariCP pool and is stopped and started again on the same port and
 * data. During the outage the API answers 503 with {@code Retry-After} and stores nothing, the health is DOWN naming
 * the cause's class; after it the same request is accepted, the job is followed to its end, and the health is UP
 * with the engine's backlog.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageApiTest {
    private static final FakeAwx AWX = new FakeAwx();
    private static final Path DATA;
    private static final int DB_PORT;
    private static Server server;

    static {
        try {
            AWX.start();
            DATA = Files.createTempDirectory("provisioning-outage-");
            server = startServer("0");
            DB_PORT = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Server startServer(String port) {
        try {
            return Server.createTcpServer("-tcpPort", port, "-ifNotExists", "-baseDir", DATA.toString()).start();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> "jdbc:h2:tcp://localhost:" + DB_PORT + "/./platform");
        r.add("spring.datasource.username", () -> "sa");
        r.add("spring.datasource.password", () -> "db-s3cret-password");
        r.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        r.add("spring.datasource.hikari.initialization-fail-timeout", () -> "-1");
        r.add("provisioning.awx.base-url", AWX::baseUrl);
        r.add("provisioning.awx.token", () -> FakeAwx.TOKEN);
        r.add("provisioning.awx.job-templates.provision", () -> FakeAwx.PROVISION_TEMPLATE);
        r.add("provisioning.awx.job-templates.upgrade", () -> FakeAwx.UPGRADE_TEMPLATE);
        r.add("provisioning.awx.job-templates.decommission", () -> FakeAwx.DECOMMISSION_TEMPLATE);
        r.add("provisioning.awx.organization-id", () -> FakeAwx.ORGANIZATION);
        r.add("provisioning.tenants.table", () -> "tenants");
        r.add("provisioning.engine.poll-interval", () -> "100ms");
        r.add("provisioning.engine.sweep-interval", () -> "100ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProvisioningHealthIndicator health;

    @AfterAll
    static void stop() throws IOException {
        server.stop();
        AWX.close();
    }

    @Test
    void duringTheOutageTheApiAnswers503AndStoresNothingAndTheHealthIsDown() throws Exception {
        jdbc.execute("CREATE TABLE IF NOT EXISTS tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(63) NOT NULL, "
                + "status VARCHAR(40) NOT NULL)");
        jdbc.update("MERGE INTO tenants (id, slug, status) KEY (id) VALUES (?, ?, ?)", "acme", "acme", "pending");
        AWX.defaultScript(RunScript.succeedAfter(1));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("backlog", 0L);

        server.stop();
        Reply refused = create();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isPositive();
        assertThat(refused.json().get("detail").toString()).contains("database").contains("nothing was stored");
        assertThat(refused.body()).doesNotContain("db-s3cret-password").doesNotContain("jdbc:")
                .doesNotContain("tcp://");
        assertThat(call("GET", jobs(), null).status()).isEqualTo(503);
        Reply rollouts = call("GET", "/api/v1/provisioning/rollouts", null);
        assertThat(rollouts.status()).as("rollouts, whose calls the engine does not guard").isEqualTo(503);
        assertThat(rollouts.headers().get("retry-after")).isEqualTo("5");

        Health down = health.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("repository").toString())
                .startsWith("unreachable: RepositoryUnavailableException (").doesNotContain("db-s3cret-password");
        assertThat(down.getDetails()).containsKey("repository_unavailable_since");

        server = startServer(String.valueOf(DB_PORT));
        Reply[] accepted = new Reply[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(700)).until(() -> {
            accepted[0] = create();
            return accepted[0].status() == 201;
        });
        String id = (String) accepted[0].json().get("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(
                call("GET", jobs() + "/" + id, null).json().get("status")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE tenant_id = 'acme'",
                Long.class)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Health back = health.health();
            assertThat(back.getStatus()).isEqualTo(Status.UP);
            assertThat(back.getDetails()).containsKey("backlog").doesNotContainKey("repository_unavailable_since");
        });
    }

    private String jobs() {
        return "/api/v1/tenants/acme/provisioning/jobs";
    }

    private Reply create() throws Exception {
        return call("POST", jobs(), "{\"deployment_mode\": \"dotmac_hosted\"}");
    }

    private Reply call(String method, String path, String body) throws Exception {
        return new RestCalls(port).call(method, path, "admin", body);
    }
}
