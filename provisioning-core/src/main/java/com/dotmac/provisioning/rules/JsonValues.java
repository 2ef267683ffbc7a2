package com.dotmac.provisioning.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Deep, unmodifiable copies of JSON-shaped values, with numbers normalised so that a value equals itself after a
 * trip through JSON text (integers become {@link Long} or {@link BigInteger}, fractions {@link BigDecimal}).
 * Thread-safe (stateless).
 */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * @param map a JSON-shaped map
     * @return a deep unmodifiable copy in the same key order
     * @throws IllegalArgumentException when a value is not JSON-shaped
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copyMap(@Nullable Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return (Map<String, Object>) Objects.requireNonNull(copy(map), "a map copies to a map");
    }

    /**
     * @param value a JSON-shaped value
     * @return a deep unmodifiable copy
     * @throws IllegalArgumentException when the value is not JSON-shaped
     */
    public static @Nullable Object copy(@Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return normalise(number);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("object keys must be strings");
                }
                copy.put(key, copy(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Iterable<?> iterable) {
            List<Object> copy = new ArrayList<>();
            for (Object item : iterable) {
                copy.add(copy(item));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getSimpleName());
    }

    private static Number normalise(Number number) {
        if (number instanceof Long) {
            return number;
        }
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue();
        }
        if (number instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Number) big.longValue() : big;
        }
        if (number instanceof BigDecimal) {
            return number;
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("numbers must be finite");
        }
        return BigDecimal.valueOf(d);
    }
}
