package com.dotmac.provisioning.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.memory.InMemoryRolloutRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The README's rollout over the example platform's tenants, over HTTP with the simulated runner: the tenants are
 * provisioned by one rollout, then upgraded by another (a canary first, then the rest).
 */
@SpringBootTest(classes = ExamplePlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:example-rollout;DB_CLOSE_DELAY=-1",
            "provisioning.runner=scripted", "example.demo-tenant.enabled=false",
            "provisioning.engine.poll-interval=100ms", "provisioning.engine.sweep-interval=50ms"})
@Import(ExamplePlatformRolloutTest.Rollouts.class)
class ExamplePlatformRolloutTest {
    private static final String ADMIN = "admin-demo-password";
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @LocalServerPort
    int port;

    /** Rollouts in memory while provisioning-jdbc has no rollout repository; with it, the starter's is used. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Rollouts {
        @Bean
        @ConditionalOnMissingClass("com.dotmac.provisioning.jdbc.JdbcRolloutRepository")
        InMemoryRolloutRepository rollouts() {
            return new InMemoryRolloutRepository();
        }
    }

    private HttpResponse<String> call(String method, String path, String user, String password, String body)
            throws Exception {
        return new PlatformClient(port).call(method, path, user, password, body);
    }

    @Test
    void theDemoTenantsAreProvisionedThenUpgradedByRollouts() throws Exception {
        for (String id : new String[] {"east", "alpha", "beta"}) {
            assertThat(call("POST", "/api/v1/tenants", "admin", ADMIN,
                    "{\"id\": \"" + id + "\", \"slug\": \"" + id + "\", \"name\": \"" + id + "\"}").statusCode())
                    .isEqualTo(201);
        }
        String provision = rollout("{\"operation\": \"provision\", \"deployment_mode\": \"dotmac_hosted\","
                + " \"tenants\": [\"east\", \"alpha\", \"beta\"], \"extra_vars\": {\"plan\": \"gold\"}}");
        awaitCompleted(provision);

        // the README's command: upgrade the demo tenants, a canary first, then the rest two at a time
        String upgrade = rollout("{\"operation\": \"upgrade\", \"release_version\": \"2.4.0\", \"tenants\":"
                + " [\"east\", \"alpha\", \"beta\"], \"plan\": {\"canary\": 1, \"max_parallel\": 2,"
                + " \"failure_threshold\": {\"max_failed_percent\": 10}}}");
        awaitCompleted(upgrade);

        String done = call("GET", "/api/v1/provisioning/rollouts/" + upgrade, "viewer", "viewer-demo-password", null)
                .body();
        assertThat(done).contains("\"succeeded\":3").contains("\"wave_sizes\":[1,2]");
        assertThat(call("GET", "/api/v1/provisioning/rollouts/" + upgrade + "/tenants?status=succeeded", "viewer",
                "viewer-demo-password", null).body()).contains("\"total\":3");
        for (String id : new String[] {"east", "alpha", "beta"}) {
            assertThat(call("GET", "/api/v1/tenants/" + id, "viewer", "viewer-demo-password", null).body())
                    .contains("\"status\":\"provisioned\"");
            assertThat(call("GET", "/api/v1/tenants/" + id + "/provisioning/jobs", "viewer", "viewer-demo-password",
                    null).body()).contains("\"operation\":\"upgrade\"").contains("\"release_version\":\"2.4.0\"");
        }
        assertThat(call("POST", "/api/v1/provisioning/rollouts/" + upgrade + "/pause", "viewer",
                "viewer-demo-password", null).statusCode()).isEqualTo(403);
    }

    private String rollout(String body) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/provisioning/rollouts", "admin", ADMIN, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Matcher id = ID.matcher(r.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private void awaitCompleted(String rolloutId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(call("GET",
                "/api/v1/provisioning/rollouts/" + rolloutId, "viewer", "viewer-demo-password", null).body())
                .contains("\"status\":\"completed\""));
    }
}
