package com.dotmac.provisioning.jdbc.internal;

import com.dotmac.provisioning.rules.JsonValues;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON text of stored columns (extra vars, connection profiles, artifacts, event data), with Jackson 3: compact
 * standard JSON, objects in their maps' order, decimals in plain notation. Reading is strict (no duplicate keys, no
 * text after the value, no comments, at most {@value #MAX_DEPTH} levels of nesting) and gives the values as
 * {@link JsonValues#copy} normalises them: unmodifiable maps and lists, {@link Long} for integers that fit (else
 * {@link java.math.BigInteger}), {@link java.math.BigDecimal} for other numbers. The text written by the library's
 * earlier JSON codec is the same standard JSON and reads the same. Thread-safe (one immutable mapper).
 */
public final class JsonColumns {
    /** Deepest nesting read or written. */
    public static final int MAX_DEPTH = 64;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonColumns() {
    }

    /**
     * @param value a JSON-shaped map (maps, lists, strings, numbers, booleans, null)
     * @return its compact JSON text
     * @throws IllegalArgumentException when a value is not JSON-shaped (or a number is not finite)
     */
    public static String write(Map<String, ?> value) {
        Map<String, Object> copy = JsonValues.copyMap(value);
        try {
            return MAPPER.writeValueAsString(copy);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param text JSON text holding an object
     * @return the object, normalised as {@link JsonValues#copyMap} does
     * @throws IllegalArgumentException when the text is malformed (duplicate keys included) or not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text) {
        Object value;
        try {
            value = MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return JsonValues.copyMap((Map<String, ?>) map);
    }
}
