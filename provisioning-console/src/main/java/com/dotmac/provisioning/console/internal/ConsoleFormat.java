package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.rollout.RolloutEventType;
import com.dotmac.provisioning.rules.WireNames;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Formats values for the console's templates (as {@code fmt}). Stateless and thread-safe. */
public final class ConsoleFormat {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * @param total items in all pages
     * @param pageSize items per page
     * @return how many pages they fill, at least 1
     */
    public static long pages(long total, int pageSize) {
        return Math.max(1, (total + pageSize - 1) / pageSize);
    }

    /**
     * @param value an enum constant, or null
     * @return its wire name (e.g. {@code in_progress}), or an empty string
     */
    public String wire(@Nullable Enum<?> value) {
        return value == null ? "" : WireNames.of(value);
    }

    /**
     * @return the wire names of a job's event types, space-separated: the {@code event:} names of its event stream
     */
    public String jobEventTypes() {
        return Arrays.stream(JobEventType.values()).map(WireNames::of).collect(Collectors.joining(" "));
    }

    /**
     * @return the wire names of a rollout's event types, space-separated: the {@code event:} names of its stream
     */
    public String rolloutEventTypes() {
        return Arrays.stream(RolloutEventType.values()).map(WireNames::of).collect(Collectors.joining(" "));
    }

    /**
     * @param t an instant, or null
     * @return it in UTC for people (the browser shows it in the viewer's zone), or an empty string
     */
    public String utc(@Nullable Instant t) {
        return t == null ? "" : UTC.format(t);
    }

    /**
     * @param t an instant, or null
     * @return it in ISO-8601 (a {@code datetime} attribute), or an empty string
     */
    public String iso(@Nullable Instant t) {
        return t == null ? "" : t.toString();
    }

    /**
     * @param from a start, or null
     * @param to an end, or null
     * @return the time between them, e.g. {@code 2m 5s}, or an empty string when either is missing
     */
    public String between(@Nullable Instant from, @Nullable Instant to) {
        if (from == null || to == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(from, to).toSeconds());
        return s >= 3600 ? (s / 3600) + "h " + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m " + (s % 60) + "s"
                : s + "s";
    }

    /**
     * @param map JSON-shaped values
     * @return them as one line of text, or an empty string when there are none
     */
    public String values(Map<String, ?> map) {
        return map.isEmpty() ? "" : map.toString();
    }

    /**
     * @param part a count
     * @param whole the total
     * @return the part in whole percent of the total (0 when the total is 0)
     */
    public long percent(long part, long whole) {
        return whole <= 0 ? 0 : Math.round(part * 100.0 / whole);
    }
}
