package com.dotmac.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.example.console.ConsoleTestApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded), one browser for
 * the whole class: a viewer reads a failed job without buttons, an admin cancels a running job and the page shows
 * {@code cancelled} without a reload, a retry opens the new job, the filters narrow the list, a rollout's progress
 * moves live. Every page's screenshot is written under {@code target/console-screenshots/}; after each test the
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
    private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]*)\"");

    @LocalServerPort
    int port;
    @Autowired
    TenantProvisioner provisioner;
    @Autowired
    ScriptedAutomationRunner runner;
    @Autowired
    InMemoryTenantDirectory tenants;

    private ChromeDriver driver;

    @BeforeAll
    void startBrowser() throws Exception {
        Path chromium = BrowserAvailability.chromium();
        Path chromedriver = BrowserAvailability.chromedriver();
        String why = BrowserAvailability.missing();
        if (why != null) {
            // only reached when PROVISIONING_REQUIRE_BROWSER=true: otherwise BrowserAvailability skips the class
            fail(why + "; " + BrowserAvailability.REQUIRE_VARIABLE + "=true");
        }
        Files.createDirectories(SCREENSHOTS);
        Path profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @AfterAll
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterEach
    void noConsoleErrorAndNothingLeftLocalhost() {
        List<String> errors = new ArrayList<>(loginPageErrors);
        loginPageErrors.clear();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("errors in the browser's console").isEmpty();
        List<String> outside = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            String m = e.getMessage();
            if (!m.contains("\"Network.requestWillBeSent\"")) {
                continue;
            }
            Matcher urls = URL.matcher(m);
            while (urls.find()) {
                String url = urls.group(1);
                // every network request (the browser's own chrome:// pages, data: and about: are not network)
                boolean network = url.matches("(?i)(https?|wss?|ftp)://.*");
                if (network && !url.startsWith("http://localhost:" + port + "/")) {
                    outside.add(url);
                }
            }
        }
        assertThat(outside).as("requests that left localhost").isEmpty();
    }

    private ConsoleFixtures fixtures() {
        return new ConsoleFixtures(provisioner, runner, tenants);
    }

    /** Errors in the browser's console seen while logging in, on the host's own login page (not the console's). */
    private final List<String> loginPageErrors = new ArrayList<>();

    /** Logs in through the host's login form, starting at the console (where the login form leads back to). */
    private void loginAs(String user) {
        driver.manage().deleteAllCookies();
        open("/");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(ConsoleTestApplication.PASSWORD);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !driver.getCurrentUrl().contains("/login"));
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            // the host's login page has no icon: the browser's request for /favicon.ico is the host's 404
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("/favicon.ico")) {
                loginPageErrors.add(e.getMessage());
            }
        }
    }

    private void open(String path) {
        driver.get("http://localhost:" + port + BASE + path);
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private String liveText(String role) {
        return driver.findElement(By.cssSelector("#live [data-role=" + role + "]")).getText();
    }

    private List<WebElement> all(String role) {
        return driver.findElements(By.cssSelector("[data-role=" + role + "]"));
    }

    private void markPage() {
        driver.executeScript("window.notReloaded = true;");
    }

    private boolean notReloaded() {
        return Boolean.TRUE.equals(driver.executeScript("return window.notReloaded === true;"));
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
        String watching = driver.getWindowHandle();
        markPage();
        assertThat(liveText("status")).isEqualTo("in_progress");
        screenshot("job-running");

        driver.switchTo().newWindow(WindowType.TAB);
        open("/jobs/" + running.id());
        driver.findElement(By.cssSelector("[data-role=cancel]")).click();
        driver.findElement(By.name("reason")).sendKeys("customer asked");
        screenshot("job-cancel-confirm");
        driver.findElement(By.cssSelector("[data-role=confirm]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/jobs/" + running.id()));
        driver.close();
        driver.switchTo().window(watching);

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .untilAsserted(() -> assertThat(liveText("status")).isEqualTo("cancelled"));
        assertThat(notReloaded()).as("the page was not reloaded").isTrue();
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
        screenshot("job-retry-confirm");
        driver.findElement(By.cssSelector("[data-role=confirm]")).click();

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
        screenshot("rollout-running");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(driver.findElement(By.cssSelector("[data-member-status=succeeded]")).getText()).isEqualTo("3");
            assertThat(liveText("status")).isEqualTo("completed");
        });
        assertThat(notReloaded()).as("the page was not reloaded").isTrue();
        assertThat(all("pause")).isEmpty();
        screenshot("rollout");
        open("/rollouts");
        screenshot("rollouts");
        for (String t : members) {
            assertThat(provisioner.jobs(t, 1, 1).items().get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }
}
