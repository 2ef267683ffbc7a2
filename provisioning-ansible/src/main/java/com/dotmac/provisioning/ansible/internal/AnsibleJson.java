package com.dotmac.provisioning.ansible.internal;

import com.dotmac.provisioning.rules.JsonValues;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON the local runner writes and reads, with Jackson 3: the extra-vars and {@code run.json} files of a run,
 * the quoted strings of a rendered inventory, and the lines of the event callback's {@code events.jsonl}.
 *
 * <p>Written JSON is compact, objects in their maps' order, decimals in plain notation; U+2028 and U+2029 are escaped
 * as well, so a string stays one line where it is read as YAML. Reading is strict (no duplicate keys, no text after
 * the value, no {@code NaN}, at most {@value #MAX_DEPTH} levels of nesting) and gives the values as
 * {@link JsonValues#copy} normalises them: unmodifiable maps and lists, {@link Long} for integers that fit,
 * {@link java.math.BigDecimal} for fractions. Thread-safe (one immutable mapper).
 */
public final class AnsibleJson {
    /** Deepest nesting read or written. */
    public static final int MAX_DEPTH = 64;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .characterEscapes(new LineSeparatorEscapes())
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private AnsibleJson() {
    }

    /**
     * @param value a JSON-shaped value (maps, lists, strings, numbers, booleans, null)
     * @return its compact JSON text
     * @throws IllegalArgumentException when it is not JSON-shaped (or a number is not finite)
     */
    public static String write(@Nullable Object value) {
        Object copy = JsonValues.copy(value);
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

    /** JSON's standard escapes, and U+2028 and U+2029, which YAML reads as line breaks. */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public @Nullable SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? LINE_SEPARATOR : ch == 0x2029 ? PARAGRAPH_SEPARATOR : null;
        }
    }
}
