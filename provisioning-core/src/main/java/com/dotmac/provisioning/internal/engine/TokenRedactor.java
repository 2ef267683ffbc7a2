package com.dotmac.provisioning.internal.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Removes a job's callback token from text and artifacts that come back from the automation (a failed task may
 * echo its variables), before they are stored, logged or served. Thread-safe.
 */
final class TokenRedactor {
    static final String MASK = "[redacted]";

    private final @Nullable CallbackTokens tokens;

    TokenRedactor(@Nullable CallbackTokens tokens) {
        this.tokens = tokens;
    }

    String text(String jobId, String text) {
        if (tokens == null) {
            return text;
        }
        String token = tokens.tokenFor(jobId);
        return text.contains(token) ? text.replace(token, MASK) : text;
    }

    Map<String, Object> map(String jobId, Map<String, ?> map) {
        if (tokens == null) {
            return new LinkedHashMap<>(map);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cleaned = (Map<String, Object>) Objects.requireNonNull(
                value(tokens.tokenFor(jobId), map), "a map redacts to a map");
        return cleaned;
    }

    private static @Nullable Object value(String token, @Nullable Object value) {
        if (value instanceof String s) {
            return s.replace(token, MASK);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k).replace(token, MASK), value(token, v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(value(token, v)));
            return copy;
        }
        return value;
    }
}
