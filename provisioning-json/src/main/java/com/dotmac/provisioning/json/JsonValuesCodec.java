package com.dotmac.provisioning.json;

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
import tools.jackson.core.json.JsonFactoryBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON text for JSON-like values (maps, lists, strings, numbers, booleans, null) with Jackson 3, the one codec the
 * JDBC repository (stored columns) and the local Ansible runner (run files, inventories, event lines) share.
 *
 * <p>Writing gives compact standard JSON, objects in their maps' order, decimals in plain notation. Reading is
 * strict: no duplicate keys, no text after the value, no comments, at most {@value #MAX_DEPTH} levels of nesting; the
 * values come back as {@link JsonValues#copy} normalises them (unmodifiable maps and lists, {@link Long} for integers
 * that fit, else {@link java.math.BigInteger}, {@link java.math.BigDecimal} for other numbers). Errors are
 * {@link IllegalArgumentException}s that never quote the text.
 *
 * <p>Immutable and thread-safe: each codec holds one mapper.
 */
public final class JsonValuesCodec {
    /** Deepest nesting read or written. */
    public static final int MAX_DEPTH = 64;

    private static final JsonValuesCodec STANDARD = new JsonValuesCodec(false);
    private static final JsonValuesCodec YAML_SAFE = new JsonValuesCodec(true);

    private final JsonMapper mapper;

    private JsonValuesCodec(boolean escapeLineSeparators) {
        JsonFactoryBuilder factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        if (escapeLineSeparators) {
            factory.characterEscapes(new LineSeparatorEscapes());
        }
        this.mapper = JsonMapper.builder(factory.build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** @return the codec writing standard JSON */
    public static JsonValuesCodec standard() {
        return STANDARD;
    }

    /**
     * @return the codec that also escapes U+2028 and U+2029, which YAML (and so Ansible reading a JSON file as YAML)
     *     takes for line breaks
     */
    public static JsonValuesCodec yamlSafe() {
        return YAML_SAFE;
    }

    /**
     * @param value a JSON-like value
     * @return its compact JSON text
     * @throws IllegalArgumentException when it is not JSON-like (or a number is not finite), or nests too deep
     */
    public String write(@Nullable Object value) {
        Object copy = JsonValues.copy(value);
        try {
            return mapper.writeValueAsString(copy);
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
    public Map<String, Object> readObject(String text) {
        Object value;
        try {
            value = mapper.readValue(text, Object.class);
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
