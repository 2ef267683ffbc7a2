package com.dotmac.provisioning.console.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Whether the browser tests can run: Debian's Chromium and ChromeDriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}, or the paths in {@code PROVISIONING_CHROMIUM} and {@code PROVISIONING_CHROMEDRIVER}).
 * When either is missing the class is skipped with the reason (reported as skipped, with how to install them), unless
 * {@code PROVISIONING_REQUIRE_BROWSER=true} (CI): then it runs and fails at its start, naming what is missing.
 * Shared with the example platform's browser tests through this module's test-jar. Stateless and thread-safe.
 */
public final class BrowserAvailability implements ExecutionCondition {
    /** The environment variable that turns a missing browser from a skip into a failure. */
    public static final String REQUIRE_VARIABLE = "PROVISIONING_REQUIRE_BROWSER";

    /** @return the Chromium binary to drive */
    public static Path chromium() {
        return Path.of(System.getenv().getOrDefault("PROVISIONING_CHROMIUM", "/usr/bin/chromium"));
    }

    /** @return the ChromeDriver to drive it with */
    public static Path chromedriver() {
        return Path.of(System.getenv().getOrDefault("PROVISIONING_CHROMEDRIVER", "/usr/bin/chromedriver"));
    }

    /** @return what is missing, or null when both are there */
    public static @Nullable String missing() {
        if (Files.isExecutable(chromium()) && Files.isExecutable(chromedriver())) {
            return null;
        }
        return "the console's browser tests need " + chromium() + " and " + chromedriver()
                + " (Debian: apt-get install chromium chromium-driver)";
    }

    /** @return enabled when the browser is there or required, else disabled with the reason */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = missing();
        if (why == null) {
            return ConditionEvaluationResult.enabled("Chromium and ChromeDriver found");
        }
        if ("true".equals(System.getenv(REQUIRE_VARIABLE))) {
            return ConditionEvaluationResult.enabled(why + "; " + REQUIRE_VARIABLE + "=true: the tests fail");
        }
        return ConditionEvaluationResult.disabled("SKIPPED: " + why + " (set " + REQUIRE_VARIABLE
                + "=true to make this a failure)");
    }
}
