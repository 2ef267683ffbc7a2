package com.dotmac.provisioning.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.console.browser.BrowserAvailability;
import com.dotmac.provisioning.console.browser.ConsoleBrowser;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.spi.StoredJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example platform's console in headless Chromium, with AWX as the runner (a {@link FakeAwx} speaking AWX's
 * JSON on localhost): a viewer reads a failed job's detail and sees no button at all, an admin cancels a running job
 * from its page and sees {@code cancelled} without a reload, a retry opens the new job, the filters narrow the list
 * (tenant, status, operation, error code, time), a rollout's progress moves live and Pause, Resume and Abort work
 * from its page. Screenshots go to {@code target/console-screenshots/}; after each test the browser's console has no
 * error and no request left localhost. One browser and one application for the class; skipped without Chromium
 * unless {@code PROVISIONING_REQUIRE_BROWSER=true}.
 */
@ExtendWith(BrowserAvailability.class)
@SpringBootTest(classes = ExamplePlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:example-console-browser;DB_CLOSE_DELAY=-1",
            "provisioning.runner=awx", "example.demo-tenant.enabled=false",
            "provisioning.engine.poll-interval=100ms", "provisioning.engine.sweep-interval=50ms",
            "provisioning.console.refresh-interval=300ms"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplePlatformConsoleBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String ADMIN = "admin-demo-password";
    private static final String VIEWER = "viewer-demo-password";
    private static final FakeAwx AWX = new FakeAwx();

    @LocalServerPort
    int port;
    @Autowired
    TenantProvisioner provisioner;

    private ConsoleBrowser browser;
    private ChromeDriver driver;

    @DynamicPropertySource
    static void awx(DynamicPropertyRegistry r) throws Exception {
        AWX.start();
        r.add("provisioning.awx.base-url", AWX::baseUrl);
        r.add("provisioning.awx.token", () -> FakeAwx.TOKEN);
        r.add("provisioning.awx.job-templates.provision", () -> FakeAwx.PROVISION_TEMPLATE);
        r.add("provisioning.awx.job-templates.upgrade", () -> FakeAwx.UPGRADE_TEMPLATE);
        r.add("provisioning.awx.job-templates.decommission", () -> FakeAwx.DECOMMISSION_TEMPLATE);
        r.add("provisioning.awx.organization-id", () -> FakeAwx.ORGANIZATION);
        r.add("provisioning.console.awx-ui-url", AWX::baseUrl);
    }

    @BeforeAll
    void startBrowser() throws Exception {
        browser = ConsoleBrowser.start(port, "/provisioning-console", SCREENSHOTS);
        driver = browser.driver();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        AWX.close();
    }

    @AfterEach
    void noConsoleErrorAndNothingLeftLocalhost() {
        browser.assertNoConsoleErrorAndNothingLeftLocalhost();
    }

    @Test
    @Order(1)
    void aViewerSeesAFailedJobsDetailAndNoButtons() {
        AWX.defaultScript(RunScript.failAfter(1, "Install packages", "web-1", "apt failed: no space left on device"));
        ProvisioningJob failed = settle(provision("viewer-sees"), JobStatus.FAILED);
        browser.loginAs("viewer", VIEWER);

        browser.open("/jobs/" + failed.id());

        assertThat(browser.liveText("status")).isEqualTo("failed");
        assertThat(browser.liveText("error-code")).isEqualTo(failed.errorCode());
        assertThat(browser.liveText("error-message")).contains("Install packages").contains("web-1")
                .contains("no space left on device");
        assertThat(driver.findElements(By.cssSelector("[data-confirm], button, form[method=post]"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector("[data-role=awx-link]")).getAttribute("href"))
                .startsWith(AWX.baseUrl()).contains("/#/jobs/playbook/" + failed.runId());
        browser.screenshot("example-job-failed");
        browser.open("/");
        assertThat(driver.findElement(By.cssSelector("#failures")).getText()).contains("Failed in the last 24 h (1)");
        browser.screenshot("example-overview");
    }

    @Test
    @Order(2)
    void anAdminCancelsARunningJobFromItsPageAndSeesCancelledWithoutReloading() {
        AWX.defaultScript(RunScript.hang());
        ProvisioningJob running = settle(provision("admin-cancels"), JobStatus.IN_PROGRESS);
        browser.loginAs("admin", ADMIN);
        browser.open("/jobs/" + running.id());
        browser.markPage();
        assertThat(browser.liveText("status")).isEqualTo("in_progress");
        assertThat(browser.liveMode()).as("the live part follows the job's event stream").isEqualTo("stream");
        browser.screenshot("example-job-running");

        driver.findElement(By.cssSelector("[data-role=cancel]")).click();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> driver.findElement(By.name("reason")).isDisplayed());
        driver.findElement(By.name("reason")).sendKeys("customer asked");
        browser.screenshot("example-job-cancel-confirm");
        browser.confirmInDialog();

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .untilAsserted(() -> assertThat(browser.liveText("status")).isEqualTo("cancelled"));
        assertThat(browser.notReloaded()).as("the page was not reloaded").isTrue();
        assertThat(browser.liveMode()).as("followed through the stream, no fallback to polling").isEqualTo("stream");
        assertThat(driver.findElement(By.id("live")).getText()).contains("customer asked");
        browser.screenshot("example-job-cancelled");
    }

    @Test
    @Order(3)
    void aRetryOpensTheNewJob() {
        AWX.defaultScript(RunScript.failAfter(1, "Install packages", "web-1", "apt failed: no space left on device"));
        ProvisioningJob failed = settle(provision("admin-retries"), JobStatus.FAILED);
        AWX.defaultScript(RunScript.succeedAfter(1));
        browser.loginAs("admin", ADMIN);
        browser.open("/jobs/" + failed.id());

        driver.findElement(By.cssSelector("[data-role=retry]")).click();
        browser.confirmInDialog();

        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/jobs/")
                && !driver.getCurrentUrl().endsWith(failed.id()));
        assertThat(driver.findElement(By.cssSelector("[data-role=retry-of]")).getText()).isEqualTo(failed.id());
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .untilAsserted(() -> assertThat(browser.liveText("status")).isEqualTo("succeeded"));
        browser.screenshot("example-job-retried");
    }

    @Test
    @Order(4)
    void theFiltersNarrowTheList() {
        AWX.defaultScript(RunScript.failAfter(1, "Install packages", "web-1", "apt failed: no space left on device"));
        settle(provision("filter-me"), JobStatus.FAILED);
        oldFailedJob("filter-me", Instant.now().minus(Duration.ofDays(3)));
        browser.loginAs("viewer", VIEWER);
        browser.open("/jobs");
        long all = total();
        browser.screenshot("example-jobs");

        filter("tenant", "filter-me");
        assertThat(total()).isEqualTo(2).isLessThan(all);
        select("created", "24h");
        assertThat(total()).isEqualTo(1);
        assertThat(rows("tenant")).containsOnly("filter-me");
        select("created", "older-24h");
        assertThat(total()).isEqualTo(1);
        select("created", "");
        select("status", "failed");
        assertThat(total()).isEqualTo(2);
        select("operation", "upgrade");
        assertThat(total()).isZero();
        select("operation", "provision");
        assertThat(rows("operation")).containsOnly("provision");
        filter("error_code", "NO_SUCH_CODE");
        assertThat(total()).isZero();
        filter("error_code", "RUN_FAILED");
        assertThat(total()).isEqualTo(1);
        assertThat(rows("status")).containsExactly("failed");
        assertThat(rows("error-code")).containsExactly("RUN_FAILED");
        filter("tenant", "");
        assertThat(total()).isPositive().isLessThan(all);
        assertThat(rows("status")).containsOnly("failed");
        browser.screenshot("example-jobs-filtered");
    }

    @Test
    @Order(5)
    void aRolloutsProgressMovesLiveAndPauseResumeAbortWorkFromItsPage() {
        AWX.defaultScript(RunScript.succeedAfter(4));
        List<String> members = List.of("wave-1", "wave-2", "wave-3");
        Rollout rollout = rollout(members, RolloutPlan.builder().canary(1).maxParallel(1).build());
        browser.loginAs("admin", ADMIN);
        browser.open("/rollouts/" + rollout.id());
        browser.markPage();
        assertThat(Integer.parseInt(succeeded())).isLessThan(3);
        assertThat(browser.liveMode()).as("the live part follows the rollout's event stream").isEqualTo("stream");
        browser.screenshot("example-rollout-running");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(succeeded()).isEqualTo("3");
            assertThat(browser.liveText("status")).isEqualTo("completed");
        });
        assertThat(browser.notReloaded()).as("the page was not reloaded").isTrue();
        assertThat(browser.liveMode()).as("followed through the stream, no fallback to polling").isEqualTo("stream");
        browser.screenshot("example-rollout");

        AWX.defaultScript(RunScript.hang());
        Rollout steered = rollout(List.of("steer-1", "steer-2"), RolloutPlan.builder().maxParallel(1).build());
        browser.open("/rollouts/" + steered.id());
        browser.markPage();
        steer("pause", "paused");
        browser.screenshot("example-rollout-paused");
        steer("resume", "running");
        steer("abort", "aborted");
        assertThat(browser.notReloaded()).as("the page was not reloaded").isTrue();
        assertThat(provisioner.rollouts().find(steered.id()).orElseThrow().status()).isEqualTo(RolloutStatus.ABORTED);
        browser.open("/rollouts");
        browser.screenshot("example-rollouts");
        browser.open("/");
        browser.screenshot("example-overview-later");
    }

    private void steer(String action, String status) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> driver.findElement(By.cssSelector("#live [data-role=" + action + "]")).isDisplayed());
        driver.findElement(By.cssSelector("#live [data-role=" + action + "]")).click();
        if ("abort".equals(action)) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> driver.findElement(
                    By.cssSelector("dialog[open] input[name=cancel_running]")).isDisplayed());
            driver.findElement(By.cssSelector("dialog[open] input[name=cancel_running]")).click();
        }
        browser.confirmInDialog();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .untilAsserted(() -> assertThat(browser.liveText("status")).isEqualTo(status));
    }

    private String succeeded() {
        return driver.findElement(By.cssSelector("[data-member-status=succeeded]")).getText();
    }

    private long total() {
        return Long.parseLong(driver.findElement(By.cssSelector("[data-role=total]")).getText());
    }

    private List<String> rows(String role) {
        return driver.findElements(By.cssSelector("[data-role=job-row] [data-role=" + role + "]")).stream()
                .map(WebElement::getText).toList();
    }

    private void filter(String field, String value) {
        WebElement input = driver.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
        submit();
    }

    private void select(String field, String value) {
        driver.findElement(By.cssSelector("select[name=" + field + "] option[value='" + value + "']")).click();
        submit();
    }

    private void submit() {
        browser.markPage();
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.notReloaded());
    }

    private ProvisioningJob provision(String tenantId) {
        createTenant(tenantId);
        return provisioner.request(ProvisioningRequest.provision(tenantId, DeploymentMode.DOTMAC_HOSTED));
    }

    private Rollout rollout(List<String> members, RolloutPlan plan) {
        members.forEach(this::createTenant);
        return provisioner.rollout(RolloutRequest.builder(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).tenants(TenantSelection.of(members)).plan(plan)
                .requestedBy("ops").build());
    }

    private void createTenant(String id) {
        try {
            assertThat(new PlatformClient(port).call("POST", "/api/v1/tenants", "admin", ADMIN,
                    "{\"id\": \"" + id + "\", \"slug\": \"" + id + "\", \"name\": \"" + id + "\"}").statusCode())
                    .isIn(201, 409);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A job that failed days ago (as if the platform had run then), written through the library's repository. */
    private void oldFailedJob(String tenantId, Instant at) {
        ProvisioningJob job = ProvisioningJob.builder(UUID.randomUUID().toString()).tenantId(tenantId)
                .tenantSlug(tenantId).operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .status(JobStatus.FAILED).requestedBy("ops").createdAt(at).updatedAt(at.plusSeconds(60))
                .finishedAt(at.plusSeconds(60)).errorCode("JOB_TIMEOUT").errorMessage("an old failure").build();
        provisioner.repository().create(StoredJob.newJob(job, at).withNextCheckAt(null), List.of());
    }

    private ProvisioningJob settle(ProvisioningJob job, JobStatus status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> provisioner.job(job.id()).orElseThrow().status() == status);
        return provisioner.job(job.id()).orElseThrow();
    }
}
