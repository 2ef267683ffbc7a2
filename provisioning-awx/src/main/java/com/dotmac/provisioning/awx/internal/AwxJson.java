package com.dotmac.provisioning.awx.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON mapping between AWX bodies (Jackson 3 trees) and the core's JSON-shaped Java values. Thread-safe (one
 * immutable mapper).
 */
public final class AwxJson {
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    /** @return a new empty JSON object */
    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /**
     * @param value a JSON-shaped Java value (maps, lists, strings, numbers, booleans, null)
     * @return its tree
     */
    public JsonNode tree(@Nullable Object value) {
        return mapper.valueToTree(value);
    }

    /**
     * @param text JSON text
     * @return its tree
     * @throws JacksonException when the text is not JSON
     */
    public JsonNode parse(String text) {
        return mapper.readTree(text);
    }

    /**
     * @param value a JSON-shaped value
     * @return its compact JSON text
     */
    public String write(@Nullable Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON-shaped: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param node an object tree
     * @return the same as a Java map (numbers as Long or BigDecimal)
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap(JsonNode node) {
        if (!node.isObject()) {
            return Map.of();
        }
        return new LinkedHashMap<>(mapper.convertValue(node, Map.class));
    }

    /**
     * Reads a JSON object kept as a string, as AWX keeps {@code extra_vars} and {@code variables}.
     *
     * @param text the string, or null
     * @return the object, or empty when the text is absent, not JSON or not an object (e.g. YAML)
     */
    public Optional<JsonNode> parseObjectString(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * @param node an object, or null
     * @param field a field name
     * @return the field's text when it is a non-blank string, else null
     */
    public static @Nullable String text(@Nullable JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() && !value.stringValue().isBlank() ? value.stringValue() : null;
    }

    /**
     * @param node an object, or null
     * @param field a field name
     * @return the field's value when it is an integral number, else null
     */
    public static @Nullable Long id(@Nullable JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.canConvertToLong() && value.isIntegralNumber() ? value.asLong() : null;
    }

    /**
     * @param node an object, or null
     * @param field a field name
     * @return whether the field is the boolean {@code true}
     */
    public static boolean isTrue(@Nullable JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isBoolean() && value.asBoolean();
    }
}
