package com.dotmac.provisioning.console.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The console's settings as its pages use them. Immutable and thread-safe.
 *
 * @param base the base path without a trailing slash, e.g. {@code /provisioning-console}
 * @param awxUiUrl the AWX UI's base URL without a trailing slash, or null
 * @param refreshMillis how often the live parts of a page refresh, in milliseconds
 * @param pageSize jobs per page in the lists
 * @param streams whether the live parts follow the starter's event streams (else they only poll)
 */
public record ConsoleSettings(String base, @Nullable String awxUiUrl, long refreshMillis, int pageSize,
        boolean streams) {
    /** Normalises the base path and the AWX URL, and checks the numbers. */
    public ConsoleSettings {
        Objects.requireNonNull(base, "base");
        String b = base.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (!b.isEmpty() && !b.startsWith("/")) {
            b = "/" + b;
        }
        base = b;
        if (awxUiUrl != null) {
            String u = awxUiUrl.strip();
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            awxUiUrl = u.isEmpty() ? null : u;
        }
        if (refreshMillis < 200) {
            throw new IllegalArgumentException("provisioning.console.refresh-interval must be at least 200ms");
        }
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("provisioning.console.page-size must be between 1 and 100");
        }
    }

    /**
     * @param runId an AWX job id
     * @return the link to its output in the AWX UI, or null when the UI's URL is unknown or the id is not numeric
     */
    public @Nullable String awxJobLink(@Nullable String runId) {
        if (awxUiUrl == null || runId == null || !runId.chars().allMatch(Character::isDigit) || runId.isEmpty()) {
            return null;
        }
        return awxUiUrl + "/#/jobs/playbook/" + runId + "/output";
    }
}
