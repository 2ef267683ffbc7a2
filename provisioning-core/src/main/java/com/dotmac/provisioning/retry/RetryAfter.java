package com.dotmac.provisioning.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3), as the AWX runner and the webhook sender honour it
 * when a server answers 429 or 503. Stateless and thread-safe.
 */
public final class RetryAfter {
    private RetryAfter() {}

    /**
     * @param header a {@code Retry-After} header: seconds, or an HTTP date
     * @param clock the time an HTTP date is measured from
     * @return how long to wait (zero for a date in the past), or null when the header is absent, negative or
     *     unreadable
     */
    public static @Nullable Duration parse(@Nullable String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
