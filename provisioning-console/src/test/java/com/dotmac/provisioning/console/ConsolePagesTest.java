package com.dotmac.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.StoredJob;
import com.example.console.ConsoleTestApplication;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console over HTTP with the host's form login: who sees what, who may act, CSRF, and no secret in any page.
 * (The browser tests, {@link ConsoleBrowserTest}, share this application context.)
 */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsolePagesTest {
    private static final String BASE = "/provisioning-console";
    private static final String PASSWORD = ConsoleTestApplication.PASSWORD;

    @LocalServerPort
    int port;
    @Autowired
    TenantProvisioner provisioner;
    @Autowired
    ScriptedAutomationRunner runner;
    @Autowired
    InMemoryTenantDirectory tenants;
    @Value("${provisioning.callback.secret}")
    String callbackSecret;

    private ConsoleFixtures fixtures() {
        return new ConsoleFixtures(provisioner, runner, tenants);
    }

    @Test
    void theConsoleIsOffUnlessEnabled() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ProvisioningConsoleAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean("provisioningConsoleOverview"));
    }

    @Test
    void aViewerReadsAFailedJobWithoutButtonsAndIsRefusedTheActions() throws Exception {
        ProvisioningJob failed = fixtures().failedJob("pages-viewer");
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);

        HttpResponse<String> page = viewer.get(BASE + "/jobs/" + failed.id());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(String.valueOf(failed.errorCode())).contains("no space left on device")
                .doesNotContain("data-role=\"retry\"").doesNotContain("data-role=\"cancel\"");
        assertThat(viewer.get(BASE + "/jobs/" + failed.id() + "/retry").statusCode()).isEqualTo(403);
        String token = ConsoleHttp.csrf(viewer.get("/login").body()); // the session's valid token
        assertThat(viewer.post(BASE + "/jobs/" + failed.id() + "/retry", Map.of("_csrf", token)).statusCode())
                .isEqualTo(403);
        assertThat(provisioner.jobs("pages-viewer", 1, 10).total()).isEqualTo(1);
    }

    @Test
    void anAdminSeesTheButtonsButAnActionWithoutTheCsrfTokenIsRefused() throws Exception {
        ProvisioningJob running = fixtures().runningJob("pages-csrf");
        ConsoleHttp admin = ConsoleHttp.login(port, "admin", PASSWORD);

        assertThat(admin.get(BASE + "/jobs/" + running.id()).body()).contains("data-role=\"cancel\"");
        String confirm = admin.get(BASE + "/jobs/" + running.id() + "/cancel").body();
        assertThat(confirm).contains("name=\"_csrf\"").contains("method=\"post\"");

        assertThat(admin.post(BASE + "/jobs/" + running.id() + "/cancel", Map.of("reason", "no token"))
                .statusCode()).isEqualTo(403);
        assertThat(provisioner.job(running.id()).orElseThrow().status()).isEqualTo(JobStatus.IN_PROGRESS);

        HttpResponse<String> done = admin.post(BASE + "/jobs/" + running.id() + "/cancel",
                Map.of("reason", "from the console", "_csrf", ConsoleHttp.csrf(confirm)));
        assertThat(done.statusCode()).isEqualTo(302);
        fixtures().settle(running, JobStatus.CANCELLED);
    }

    @Test
    void aCallerWithoutTheReadAuthoritySeesNothing() throws Exception {
        ConsoleHttp intruder = ConsoleHttp.login(port, "intruder", PASSWORD);
        assertThat(intruder.get(BASE + "/").statusCode()).isEqualTo(403);
        assertThat(intruder.get(BASE + "/jobs").statusCode()).isEqualTo(403);
        assertThat(intruder.get(BASE + "/rollouts").statusCode()).isEqualTo(403);
    }

    @Test
    void noPageHoldsASecret() throws Exception {
        ProvisioningJob failed = fixtures().failedJob("pages-secrets");
        ConsoleHttp admin = ConsoleHttp.login(port, "admin", PASSWORD);
        List<String> secrets = List.of(provisioner.callbackToken(failed.id()), callbackSecret, PASSWORD);

        for (String path : List.of("/", "/jobs", "/jobs?status=failed", "/jobs/" + failed.id(),
                "/jobs/" + failed.id() + "/live", "/jobs/" + failed.id() + "/retry", "/tenants/pages-secrets",
                "/rollouts")) {
            HttpResponse<String> page = admin.get(BASE + path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            for (String secret : secrets) {
                assertThat(page.body()).as(path).doesNotContain(secret);
            }
        }
    }

    @Test
    void anAdminPausesResumesAndAbortsARolloutAndAViewerCannot() throws Exception {
        List<String> members = List.of("pages-ro-1", "pages-ro-2");
        for (String t : members) {
            tenants.put(t, t, "new");
            runner.script(t, Script.hang());
        }
        Rollout rollout = provisioner.rollout(RolloutRequest.builder(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).tenants(TenantSelection.of(members)).build());
        String page = BASE + "/rollouts/" + rollout.id();
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);
        ConsoleHttp admin = ConsoleHttp.login(port, "admin", PASSWORD);

        assertThat(viewer.get(page).body()).contains("data-member-status").doesNotContain("data-role=\"pause\"")
                .doesNotContain("data-role=\"abort\"");
        assertThat(viewer.post(page + "/pause", Map.of("_csrf", ConsoleHttp.csrf(viewer.get("/login").body())))
                .statusCode()).isEqualTo(403);
        assertThat(admin.get(page).body()).contains("data-role=\"pause\"").contains("data-role=\"abort\"");

        String confirm = admin.get(page + "/pause").body();
        assertThat(admin.post(page + "/pause", Map.of("_csrf", ConsoleHttp.csrf(confirm))).statusCode())
                .isEqualTo(302);
        assertThat(provisioner.rollouts().find(rollout.id()).orElseThrow().status()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(admin.get(page).body()).contains("data-role=\"resume\"").contains("data-role=\"reason\"");

        confirm = admin.get(page + "/resume").body();
        assertThat(admin.post(page + "/resume", Map.of("failed", "skip", "_csrf", ConsoleHttp.csrf(confirm)))
                .statusCode()).isEqualTo(302);
        assertThat(provisioner.rollouts().find(rollout.id()).orElseThrow().status()).isEqualTo(RolloutStatus.RUNNING);

        confirm = admin.get(page + "/abort").body();
        assertThat(admin.post(page + "/abort", Map.of("cancel_running", "true", "_csrf", ConsoleHttp.csrf(confirm)))
                .statusCode()).isEqualTo(302);
        await().atMost(Duration.ofSeconds(20)).until(() -> provisioner.rollouts().find(rollout.id()).orElseThrow()
                .status() == RolloutStatus.ABORTED);
        assertThat(admin.get(page).body()).doesNotContain("data-role=\"pause\"")
                .doesNotContain("data-role=\"abort\"");
    }

    @Test
    void aBadFilterIsA400AndAnUnknownJobA404() throws Exception {
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);
        assertThat(viewer.get(BASE + "/jobs?status=exploded").statusCode()).isEqualTo(400);
        assertThat(viewer.get(BASE + "/jobs/no-such-job").statusCode()).isEqualTo(404);
    }

    @Test
    void aCallerWhoMayNotReadATenantGetsTheSameAnswerForItsJobAsForAMissingJob() throws Exception {
        ProvisioningJob own = fixtures().failedJob(ConsoleTestApplication.OWN_TENANT);
        ProvisioningJob other = fixtures().failedJob("pages-other-tenant");
        ConsoleHttp reader = ConsoleHttp.login(port, "tenant-reader", PASSWORD);

        assertThat(reader.get(BASE + "/jobs/" + own.id()).statusCode()).isEqualTo(200);
        HttpResponse<String> existing = reader.get(BASE + "/jobs/" + other.id());
        HttpResponse<String> missing = reader.get(BASE + "/jobs/" + "x".repeat(other.id().length()));
        assertThat(existing.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(existing.body().replace(other.id(), "ID"))
                .isEqualTo(missing.body().replace("x".repeat(other.id().length()), "ID"));
        for (String path : List.of("/live", "/retry", "/cancel")) {
            assertThat(reader.get(BASE + "/jobs/" + other.id() + path).statusCode()).as(path).isEqualTo(404);
        }
        ConsoleHttp intruder = ConsoleHttp.login(port, "intruder", PASSWORD);
        assertThat(intruder.get(BASE + "/jobs/" + other.id()).statusCode())
                .isEqualTo(intruder.get(BASE + "/jobs/no-such-job").statusCode()).isEqualTo(404);
    }

    @Test
    void theOverviewCountsAJobByWhenItFailedNotWhenItWasCreated() throws Exception {
        Instant created = Instant.now().minus(Duration.ofDays(3));
        Instant failedAt = Instant.now().minus(Duration.ofMinutes(5));
        ProvisioningJob old = ProvisioningJob.builder(UUID.randomUUID().toString()).tenantId("pages-slow")
                .tenantSlug("pages-slow").operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .status(JobStatus.FAILED).requestedBy("ops").createdAt(created).updatedAt(failedAt)
                .finishedAt(failedAt).errorCode("JOB_TIMEOUT").errorMessage("ran for three days").build();
        provisioner.repository().create(StoredJob.newJob(old, created).withNextCheckAt(null), List.of());
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);

        assertThat(viewer.get(BASE + "/").body()).contains(old.id());
    }

    @Test
    void theTimeFilterNarrowsTheJobsList() throws Exception {
        ProvisioningJob recent = fixtures().failedJob("pages-time");
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);

        assertThat(viewer.get(BASE + "/jobs?tenant=pages-time&created=1h").body()).contains(recent.id());
        assertThat(viewer.get(BASE + "/jobs?tenant=pages-time&created=older-24h").body())
                .doesNotContain(recent.id()).contains("data-role=\"total\">0<");
        assertThat(viewer.get(BASE + "/jobs?created=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    void theAssetsComeFromTheJar() throws Exception {
        ConsoleHttp viewer = ConsoleHttp.login(port, "viewer", PASSWORD);
        assertThat(viewer.get(BASE + "/assets/console.css").statusCode()).isEqualTo(200);
        assertThat(viewer.get(BASE + "/assets/console.js").body()).contains("data-live-url");
        assertThat(viewer.get(BASE + "/").body()).doesNotContain("https://").doesNotContain("//cdn");
    }
}
