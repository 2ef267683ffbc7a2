package com.dotmac.provisioning.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.rules.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonColumnsTest {
    @Test
    void valuesRoundTrip() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "quote \" backslash \\ newline \n tab \t unicode ✓ 🚀 control \u0001 separator \u2028");
        value.put("n", 42L);
        value.put("i", 7);
        value.put("big", new BigInteger("123456789012345678901234567890"));
        value.put("f", new BigDecimal("-1.25e-3"));
        value.put("d", 2.5);
        value.put("b", true);
        value.put("null", null);
        value.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
        String text = JsonColumns.write(value);
        assertThat(JsonColumns.readObject(text)).isEqualTo(JsonValues.copy(value));
    }

    @Test
    void writesCompactStandardJsonInMapOrderWithPlainDecimals() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", new BigDecimal("1E+5"));
        value.put("a", List.of(new BigDecimal("-1.25e-3"), 1.0, true));
        value.put("s", "a/b\"c\n");
        value.put("n", null);
        assertThat(JsonColumns.write(value))
                .isEqualTo("{\"z\":100000,\"a\":[-0.00125,1.0,true],\"s\":\"a/b\\\"c\\n\",\"n\":null}");
    }

    @Test
    void readsWhatTheEarlierCodecWrote() {
        // as the core's former JSON writer wrote it: compact, \\u escapes for controls and U+2028/U+2029
        String stored = "{\"s\":\"x\\u0001\\u2028\\\"\",\"n\":42,\"big\":123456789012345678901234567890,"
                + "\"f\":-0.00125,\"d\":2.50,\"b\":false,\"null\":null,\"list\":[1,\"two\",null,[],{}],\"e\":1e5}";
        Map<String, Object> read = JsonColumns.readObject(stored);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x\u0001\u2028\"");
        expected.put("n", 42L);
        expected.put("big", new BigInteger("123456789012345678901234567890"));
        expected.put("f", new BigDecimal("-0.00125"));
        expected.put("d", new BigDecimal("2.50"));
        expected.put("b", false);
        expected.put("null", null);
        expected.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
        expected.put("e", new BigDecimal("1e5"));
        assertThat(read).isEqualTo(expected);
        assertThat(read.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(read).isEqualTo(JsonValues.copy(read));
        assertThatThrownBy(() -> read.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parsesWhitespaceAndEscapes() {
        assertThat(JsonColumns.readObject(" { \"a\" : [ 1 , 2.0 , \"\\u00e9\\/\" ] } "))
                .isEqualTo(Map.of("a", List.of(1L, new BigDecimal("2.0"), "é/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "01x", "{} extra", "[\"\u0001\"]",
        "\"\\x\"", "{\"a\":NaN}", "{\"a\":1} // comment", "{\"a\":1,\"a\":2}"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> JsonColumns.readObject(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        assertThatThrownBy(() -> JsonColumns.readObject("{\"a\":{\"b\":1,\"b\":1}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[1]", "\"text\"", "1"})
    void rejectsWhatIsNotAnObject(String text) {
        assertThatThrownBy(() -> JsonColumns.readObject(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void rejectsNonJsonValuesAndNonFiniteNumbers() {
        assertThatThrownBy(() -> JsonColumns.write(Map.of("o", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonColumns.write(Map.of("d", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonColumns.write(Map.of("k", Map.of(1, "one"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThatThrownBy(() -> JsonColumns.readObject(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting depth");
        Object nested = List.of();
        for (int i = 0; i < 100; i++) {
            nested = List.of(nested);
        }
        Map<String, Object> tooDeep = Map.of("a", nested);
        assertThatThrownBy(() -> JsonColumns.write(tooDeep)).isInstanceOf(IllegalArgumentException.class);
    }
}
