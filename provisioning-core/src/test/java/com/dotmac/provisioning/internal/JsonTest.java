package com.dotmac.provisioning.internal;

import com.dotmac.provisioning.rules.JsonValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void valuesRoundTrip() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "quote \" backslash \\ newline \n tab \t unicode ✓ 🚀 control \u0001");
        value.put("n", 42L);
        value.put("big", new BigInteger("123456789012345678901234567890"));
        value.put("f", new BigDecimal("-1.25e-3"));
        value.put("b", true);
        value.put("null", null);
        value.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
        String text = Json.write(value);
        assertThat(Json.parse(text)).isEqualTo(JsonValues.copy(value));
    }

    @Test
    void parsesWhitespaceAndEscapes() {
        assertThat(Json.parse(" { \"a\" : [ 1 , 2.0 , \"\\u00e9\\/\" ] } "))
                .isEqualTo(Map.of("a", List.of(1L, new BigDecimal("2.0"), "é/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "01x", "{} extra", "[\"\u0001\"]",
        "\"\\x\""})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void rejectsNonJsonValuesAndNonFiniteNumbers() {
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.copy(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesNormaliseNumbersAndAreUnmodifiable() {
        Map<String, Object> copy = JsonValues.copyMap(Map.of("i", 1, "d", 2.5, "l", List.of((short) 3)));
        assertThat(copy).containsEntry("i", 1L).containsEntry("d", new BigDecimal("2.5"))
                .containsEntry("l", List.of(3L));
        assertThatThrownBy(() -> copy.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested deeper");
    }
}
