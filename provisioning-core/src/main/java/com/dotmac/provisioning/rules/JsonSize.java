package com.dotmac.provisioning.rules;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Measures JSON-shaped values ({@code Map<String, ?>}, {@code Iterable}, {@code String}, {@code Number},
 * {@code Boolean} and {@code null}) without writing them: the number of characters of their compact JSON form, the
 * form in which limits such as {@code ExtraVarsRules.MAX_TOTAL_LENGTH} are stated. The core keeps no JSON codec; the
 * modules that store or send JSON use a JSON library, whose output may differ from the measured form only in
 * insignificant ways (a number's notation, an optional escape).
 *
 * <p>The measured form: no whitespace; strings escape {@code "} and {@code \} and the control characters (short
 * escapes where JSON has one, else {@code \}{@code u00XX}), and U+2028 and U+2029 as {@code \}{@code u2028} and
 * {@code \}{@code u2029}; every other character, supplementary ones too, counts as the {@code char}s it takes in a
 * Java string. Decimals ({@link BigDecimal}) in plain notation; {@code double} and {@code float} as the plain notation
 * of their shortest decimal form without trailing zeros; other numbers as their {@code toString()}. The length of a
 * huge decimal's plain notation is computed, not built.
 *
 * <p>Thread-safe (stateless).
 */
public final class JsonSize {
    /** Deepest nesting measured: deeper values are refused, as they cannot be stored. */
    public static final int MAX_DEPTH = 64;

    private JsonSize() {
    }

    /**
     * @param value a JSON-shaped value
     * @return the number of characters of its compact JSON form
     * @throws IllegalArgumentException for a value that is not JSON-shaped (a map key that is not a string, an
     *     object of another type, a non-finite number) or that is nested deeper than {@link #MAX_DEPTH}
     */
    public static long of(@Nullable Object value) {
        return measure(value, 0);
    }

    private static long measure(@Nullable Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            return 4;
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Boolean b) {
            return b ? 4 : 5;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no form for " + d);
            }
            return plainLength(BigDecimal.valueOf(d).stripTrailingZeros());
        }
        if (value instanceof BigDecimal bd) {
            return plainLength(bd);
        }
        if (value instanceof Number n) {
            return n.toString().length();
        }
        if (value instanceof Map<?, ?> map) {
            long length = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings");
                }
                length += string(key) + 1 + measure(e.getValue(), depth + 1);
            }
            return length;
        }
        if (value instanceof Iterable<?> list) {
            long length = 2;
            boolean first = true;
            for (Object item : list) {
                length += (first ? 0 : 1) + measure(item, depth + 1);
                first = false;
            }
            return length;
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }

    private static long string(String s) {
        long length = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                length += 2;
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                length += 6;
            } else {
                length++;
            }
        }
        return length;
    }

    /** The length of {@link BigDecimal#toPlainString()}, without building it. */
    private static long plainLength(BigDecimal bd) {
        int sign = bd.signum() < 0 ? 1 : 0;
        if (bd.signum() == 0) {
            // zero: "0", or "0.000" for a positive scale
            return bd.scale() > 0 ? 2L + bd.scale() : 1;
        }
        long digits = bd.precision();
        long scale = bd.scale();
        if (scale <= 0) {
            return sign + digits - scale;
        }
        if (digits > scale) {
            return sign + digits + 1;
        }
        return sign + 2 + scale;
    }
}
