package com.dotmac.provisioning.console.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded) for a test class, driving the
 * console of an application on {@code http://localhost:<port>}: logs in through the host's login form, opens console
 * pages, writes screenshots, and checks after each test that the browser's console had no error and that no request
 * left localhost (Chrome's performance log). Not thread-safe: one test at a time.
 */
public final class ConsoleBrowser implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]*)\"");

    private final ChromeDriver driver;
    private final int port;
    private final String base;
    private final Path screenshots;
    /** Errors in the browser's console seen while logging in, on the host's own login page (not the console's). */
    private final List<String> loginPageErrors = new ArrayList<>();

    private ConsoleBrowser(ChromeDriver driver, int port, String base, Path screenshots) {
        this.driver = driver;
        this.port = port;
        this.base = base;
        this.screenshots = screenshots;
    }

    /**
     * Starts Chromium at 1280×800; fails (naming what is missing) when it is absent, which only happens when
     * {@link BrowserAvailability} lets a class run because the browser is required.
     *
     * @param port the application's port
     * @param base the console's base path, e.g. {@code /provisioning-console}
     * @param screenshots the directory for screenshots (created)
     * @return the browser
     * @throws IOException when the directories cannot be created
     */
    public static ConsoleBrowser start(int port, String base, Path screenshots) throws IOException {
        String why = BrowserAvailability.missing();
        if (why != null) {
            fail(why + "; " + BrowserAvailability.REQUIRE_VARIABLE + "=true");
        }
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(BrowserAvailability.chromium().toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserAvailability.chromedriver().toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
        // a page that does not load fails its test within seconds, not after Selenium's default of 5 minutes
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        return new ConsoleBrowser(driver, port, base, screenshots);
    }

    /** @return the driver, for what this class does not wrap */
    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Logs in through the host's login form, starting at the console (where the form leads back to).
     *
     * @param user the user
     * @param password the password
     */
    public void loginAs(String user, String password) {
        driver.manage().deleteAllCookies();
        open("/");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !driver.getCurrentUrl().contains("/login"));
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            // the host's login page has no icon: the browser's request for /favicon.ico is the host's 404
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("/favicon.ico")) {
                loginPageErrors.add(e.getMessage());
            }
        }
    }

    /** @param path a console path, e.g. {@code /jobs/abc} */
    public void open(String path) {
        driver.get("http://localhost:" + port + base + path);
    }

    /**
     * @param name the file name without {@code .png}
     * @return the file written
     */
    public Path screenshot(String name) {
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * @param role a {@code data-role} inside the page's live part
     * @return its text
     */
    public String liveText(String role) {
        return driver.findElement(By.cssSelector("#live [data-role=" + role + "]")).getText();
    }

    /**
     * @return how the page's live part follows its job or rollout: {@code stream} (its event stream), {@code poll}
     *     (polling, e.g. after the stream failed), or an empty string when it does not follow (a final state)
     */
    public String liveMode() {
        String mode = driver.findElement(By.id("live")).getAttribute("data-live");
        return mode == null ? "" : mode;
    }

    /**
     * @param role a {@code data-role}
     * @return the page's elements with it
     */
    public List<WebElement> all(String role) {
        return driver.findElements(By.cssSelector("[data-role=" + role + "]"));
    }

    /** Sets a marker on the page's window; a reload or navigation loses it. */
    public void markPage() {
        driver.executeScript("window.notReloaded = true;");
    }

    /** @return whether the marker of {@link #markPage()} is still there */
    public boolean notReloaded() {
        return Boolean.TRUE.equals(driver.executeScript("return window.notReloaded === true;"));
    }

    /** Clicks an element of the confirmation dialog that the console's script opens on the page. */
    public void confirmInDialog() {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> driver.findElement(
                By.cssSelector("dialog#confirm-dialog[open] [data-role=confirm]")).isDisplayed());
        driver.findElement(By.cssSelector("dialog#confirm-dialog[open] [data-role=confirm]")).click();
    }

    /**
     * Asserts the browser's console had no error since the last call (nor the login page, but for its missing icon)
     * and that every network request went to {@code http://localhost:<port>/}; clears both logs.
     */
    public void assertNoConsoleErrorAndNothingLeftLocalhost() {
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

    /** Quits the browser. */
    @Override
    public void close() {
        driver.quit();
    }
}
