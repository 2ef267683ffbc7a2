package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Makes any Java string storable on every supported database, the same way on each: NUL (U+0000) and an unpaired
 * surrogate become U+FFFD (the replacement character); every other character, other control characters included,
 * is kept. PostgreSQL refuses NUL in {@code text} (SQLState 22021) and the escape {@code \u0000} in {@code jsonb}
 * (22P05), and the drivers of PostgreSQL, H2 and MySQL write an unpaired surrogate as {@code ?}; run output (a
 * runner's failure detail, Ansible's output, a playbook's artifacts) may carry either, and a write that fails would
 * fail again on every poll. Applied to every string of a job (JSON keys and values included) and of an event before
 * they are written, and to the strings a job is looked up by, so what a write returns equals what a later read
 * returns. Strings that need nothing are returned as they are (one scan, no copy). Stateless; thread-safe.
 */
public final class StoredText {
    /** What replaces a character no database here stores: U+FFFD. */
    public static final char REPLACEMENT = '\uFFFD';

    private StoredText() {
    }

    /**
     * @param value any string, or null
     * @return it with NUL and unpaired surrogates replaced by {@link #REPLACEMENT}; the same instance when none
     */
    public static @Nullable String clean(@Nullable String value) {
        if (value == null || isClean(value)) {
            return value;
        }
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                b.append(c).append(value.charAt(++i));
            } else {
                b.append(c == '\u0000' || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return b.toString();
    }

    /**
     * @param value any string
     * @return {@link #clean(String)} of it
     */
    public static String cleanText(String value) {
        String cleaned = clean(value);
        return cleaned == null ? value : cleaned;
    }

    private static boolean isClean(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= value.length()
                        || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /**
     * @param map a JSON-shaped map (maps, lists, strings, numbers, booleans, null)
     * @return it with every string (keys included) cleaned; the same instance when nothing needed it
     */
    public static Map<String, Object> clean(Map<String, ?> map) {
        Map<String, Object> copy = null;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = cleanText(e.getKey());
            Object value = cleanValue(e.getValue());
            if (copy == null && (key != e.getKey() || value != e.getValue())) {
                copy = new LinkedHashMap<>();
                for (Map.Entry<String, ?> before : map.entrySet()) {
                    if (before.getKey().equals(e.getKey())) {
                        break;
                    }
                    copy.put(before.getKey(), before.getValue());
                }
            }
            if (copy != null) {
                copy.merge(key, value, (first, second) -> first);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> same = (Map<String, Object>) map;
        return copy == null ? same : copy;
    }

    private static @Nullable Object cleanValue(@Nullable Object value) {
        if (value instanceof String s) {
            return cleanText(s);
        }
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> map = (Map<String, ?>) m;
            return clean(map);
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                Object cleaned = cleanValue(item);
                if (copy == null && cleaned != item) {
                    copy = new ArrayList<>(list.subList(0, i));
                }
                if (copy != null) {
                    copy.add(cleaned);
                }
            }
            return copy == null ? list : copy;
        }
        return value;
    }

    /**
     * @param s a job about to be written
     * @return the job with every string cleaned (its connection profile is validated and needs nothing); the same
     *     instance when nothing needed it
     */
    public static StoredJob clean(StoredJob s) {
        ProvisioningJob j = s.job();
        StopRequest stop = s.stop();
        String errorMessage = clean(j.errorMessage());
        Map<String, Object> artifacts = clean(j.artifacts());
        Map<String, Object> extraVars = clean(j.extraVars());
        String stopMessage = stop == null ? null : clean(stop.message());
        if (errorMessage == j.errorMessage() && artifacts == j.artifacts() && extraVars == j.extraVars()
                && (stop == null || (stopMessage == stop.message() && isClean(stop.requestedBy())))
                && allClean(j.tenantId(), j.tenantSlug(), j.runId(), j.requestedBy(), j.errorCode(),
                        j.releaseVersion(), j.idempotencyKey(), j.retryOf(), s.leaseOwner())) {
            return s;
        }
        ProvisioningJob job = j.toBuilder()
                .tenantId(cleanText(j.tenantId()))
                .tenantSlug(cleanText(j.tenantSlug()))
                .runId(clean(j.runId()))
                .requestedBy(cleanText(j.requestedBy()))
                .errorCode(clean(j.errorCode()))
                .errorMessage(errorMessage)
                .extraVars(extraVars)
                .artifacts(artifacts)
                .releaseVersion(clean(j.releaseVersion()))
                .idempotencyKey(clean(j.idempotencyKey()))
                .retryOf(clean(j.retryOf()))
                .build();
        StopRequest cleanStop = stop == null ? null
                : new StopRequest(stop.reason(), cleanText(stop.requestedBy()), stopMessage, stop.at());
        return new StoredJob(job, s.version(), clean(s.leaseOwner()), s.leaseUntil(), s.nextCheckAt(),
                s.launchPendingSince(), cleanStop, s.stopSentAt(), s.tenantStatusApplied());
    }

    private static boolean allClean(@Nullable String... values) {
        for (String v : values) {
            if (v != null && !isClean(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param e an event about to be written
     * @return the event with its message and data cleaned; the same instance when nothing needed it
     */
    public static JobEvent clean(JobEvent e) {
        String message = cleanText(e.message());
        Map<String, Object> data = clean(e.data());
        return message == e.message() && data == e.data() ? e
                : new JobEvent(e.jobId(), e.at(), e.type(), e.from(), e.to(), message, data);
    }
}
