package com.dotmac.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.console.browser.BrowserAvailability;
import com.dotmac.provisioning.console.browser.ConsoleBrowser;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.example.console.ConsoleTestApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded), one browser for
 * the whole class: a viewer reads a failed job without buttons, an admin cancels a running job and the page shows
 * {@code cancelled} without a reload, a retry opens the new job, the filters narrow the list, a rollout's progress
 * moves live (both live parts through the page's event stream, {@code data-live="stream"}), and without
 * {@code EventSource} the live part polls. Every page's screenshot is written under {@code target/console-screenshots/}; after each test the
 * browser's console has no error and no request left localhost. Skipped when the browser is absent, unless
 * {@code PROVISIONING_REQUIRE_BROWSER=true}.
 */
@ExtendWith(BrowserAvailability.class)
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String BASE = "/provisioning-console";

    @LocalServerPort
    int port;
    @Autowired
    TenantProvisioner provisioner;
    @Autowired
    ScriptedAutomationRunner runner;
    @Autowired
    InMemoryTenantDirectory tenants;

    private ConsoleBrowser browser;
    private ChromeDriver driver;

    @BeforeAll
    void startBrowser() throws Exception {
        browser = ConsoleBrowser.start(port, BASE, SCREENSHOTS);
        driver = browser.driver();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noConsoleErrorAndNothingLeftLocalhost() {
        browser.assertNoConsoleErrorAndNothingLeftLocalhost();
    }

    private ConsoleFixtures fixtures() {
        return new ConsoleFixtures(provisioner, runner, tenants);
    }

    private void loginAs(String user) {
        browser.loginAs(user, ConsoleTestApplication.PASSWORD);
    }

    private void open(String path) {
        browser.open(path);
    }

    private void screenshot(String name) {
        browser.screenshot(name);
    }

    private String liveText(String role) {
        return browser.liveText(role);
    }

    private List<WebElement> all(String role) {
        return browser.all(role);
    }

    private void markPage() {
        browser.markPage();
    }

    private boolean notReloaded() {
        return browser.notReloaded();
    }

    @Test
    @Order(1)
    void aViewerSeesAFailedJobsDetailAndNoButtons() throws Exception {
        ProvisioningJob failed = fixtures().failedJob("browser-viewer");
        loginAs("viewer");

        open("/jobs/" + failed.id());

        assertThat(liveText("status")).isEqualTo("failed");
        assertThat(liveText("error-code")).isEqualTo(failed.errorCode());
        assertThat(liveText("error-message")).contains("Install packages").contains("web-1")
                .contains("no space left on device");
        assertThat(all("cancel")).isEmpty();
        assertThat(all("retry")).isEmpty();
        assertThat(driver.findElement(By.cssSelector("#live time")).getAttribute("title")).endsWith("UTC");
        screenshot("job-failed");
        driver.manage().window().setSize(new Dimension(390, 844));
        screenshot("job-failed-phone");
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @Test
    @Order(2)
    void anAdminCancelsARunningJobAndSeesCancelledWithoutReloading() throws Exception {
        ProvisioningJob running = fixtures().runningJob("browser-cancel");
        loginAs("admin");
        open("/jobs/" + running.id());
        markPage();
        assertThat(liveText("status")).isEqualTo("in_progress");
        assertThat(browser.liveMode()).as("the live part follows the job's event stream").isEqualTo("stream");
        screenshot("job-running");

        driver.findElement(By.cssSelector("[data-role=cancel]")).click();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> driver.findElement(By.name("reason")).isDisplayed());
        driver.findElement(By.name("reason")).sendKeys("customer asked");
        screenshot("job-cancel-confirm");
        browser.confirmInDialog();

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .untilAsserted(() -> assertThat(liveText("status")).isEqualTo("cancelled"));
        assertThat(notReloaded()).as("the page was not reloaded").isTrue();
        assertThat(browser.liveMode()).as("followed through the stream, no fallback to polling").isEqualTo("stream");
        assertThat(all("retry")).hasSize(1);
        assertThat(driver.findElement(By.id("live")).getText()).contains("customer asked");
        screenshot("job-cancelled");
    }

    @Test
    @Order(3)
    void aRetryOpensTheNewJob() throws Exception {
        ProvisioningJob failed = fixtures().failedJob("browser-retry");
        runner.script("browser-retry", Script.succeedAfter(1));
        loginAs("admin");
        open("/jobs/" + failed.id());

        driver.findElement(By.cssSelector("[data-role=retry]")).click();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> driver.findElement(
                By.cssSelector("dialog[open] [data-role=confirm]")).isDisplayed());
        screenshot("job-retry-confirm");
        browser.confirmInDialog();

        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/jobs/")
                && !driver.getCurrentUrl().endsWith(failed.id()));
        assertThat(driver.findElement(By.cssSelector("[data-role=retry-of]")).getText()).isEqualTo(failed.id());
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .untilAsserted(() -> assertThat(liveText("status")).isEqualTo("succeeded"));
        assertThat(provisioner.jobs("browser-retry", 1, 10).total()).isEqualTo(2);
        screenshot("job-retried");
    }

    @Test
    @Order(4)
    void theFiltersNarrowTheList() throws Exception {
        fixtures().succeededJob("browser-filter-a");
        fixtures().failedJob("browser-filter-b");
        loginAs("viewer");
        open("/");
        screenshot("overview");
        open("/jobs");
        long all = Long.parseLong(driver.findElement(By.cssSelector("[data-role=total]")).getText());
        screenshot("jobs");

        driver.findElement(By.cssSelector("select[name=status] option[value=failed]")).click();
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("status=failed"));
        long failed = Long.parseLong(driver.findElement(By.cssSelector("[data-role=total]")).getText());
        assertThat(failed).isPositive().isLessThan(all);
        assertThat(driver.findElements(By.cssSelector("[data-role=job-row] [data-role=status]")))
                .extracting(WebElement::getText).isNotEmpty().containsOnly("failed");

        driver.findElement(By.name("tenant")).sendKeys("browser-filter-b");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("tenant=browser-filter-b"));
        assertThat(driver.findElement(By.cssSelector("[data-role=total]")).getText()).isEqualTo("1");
        screenshot("jobs-filtered");

        driver.findElement(By.cssSelector("[data-role=job-row] a[href*='/tenants/']")).click();
        assertThat(driver.findElement(By.tagName("h1")).getText()).contains("browser-filter-b");
        screenshot("tenant");
    }

    @Test
    @Order(5)
    void aRolloutsProgressMovesLive() throws Exception {
        List<String> members = List.of("browser-ro-1", "browser-ro-2", "browser-ro-3");
        for (String t : members) {
            tenants.put(t, t, "new");
            runner.script(t, Script.succeedAfter(6));
        }
        Rollout rollout = provisioner.rollout(RolloutRequest.builder(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).tenants(TenantSelection.of(members))
                .plan(RolloutPlan.builder().canary(1).maxParallel(1).build()).requestedBy("ops").build());
        loginAs("admin");
        open("/rollouts/" + rollout.id());
        markPage();
        int before = Integer.parseInt(driver.findElement(By.cssSelector("[data-member-status=succeeded]")).getText());
        assertThat(before).isLessThan(3);
        assertThat(all("pause")).hasSize(1);
        assertThat(browser.liveMode()).as("the live part follows the rollout's event stream").isEqualTo("stream");
        screenshot("rollout-running");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(driver.findElement(By.cssSelector("[data-member-status=succeeded]")).getText()).isEqualTo("3");
            assertThat(liveText("status")).isEqualTo("completed");
        });
        assertThat(notReloaded()).as("the page was not reloaded").isTrue();
        assertThat(browser.liveMode()).as("followed through the stream, no fallback to polling").isEqualTo("stream");
        assertThat(all("pause")).isEmpty();
        screenshot("rollout");
        open("/rollouts");
        screenshot("rollouts");
        for (String t : members) {
            assertThat(provisioner.jobs(t, 1, 1).items().get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    @Order(6)
    void withoutEventSourceTheLivePartPolls() throws Exception {
        ProvisioningJob running = fixtures().runningJob("browser-poll");
        loginAs("viewer");
        Object script = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                java.util.Map.of("source", "window.EventSource = undefined;")).get("identifier");
        try {
            open("/jobs/" + running.id());
            markPage();
            assertThat(browser.liveMode()).isEqualTo("poll");

            provisioner.cancel(running.id(), "ops", "polled");

            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(liveText("status")).isEqualTo("cancelled"));
            assertThat(notReloaded()).as("the page was not reloaded").isTrue();
        } finally {
            driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    java.util.Map.of("identifier", script));
        }
    }
}
