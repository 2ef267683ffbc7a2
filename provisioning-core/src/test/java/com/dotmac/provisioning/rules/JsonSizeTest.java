package com.dotmac.provisioning.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonSize against JSON texts written out by hand (no JSON library). */
class JsonSizeTest {
    @Test
    void scalars() {
        assertThat(JsonSize.of(null)).isEqualTo("null".length());
        assertThat(JsonSize.of(true)).isEqualTo("true".length());
        assertThat(JsonSize.of(false)).isEqualTo("false".length());
        assertThat(JsonSize.of("")).isEqualTo("\"\"".length());
        assertThat(JsonSize.of(42)).isEqualTo("42".length());
        assertThat(JsonSize.of(-42L)).isEqualTo("-42".length());
        assertThat(JsonSize.of((short) 7)).isEqualTo("7".length());
    }

    @Test
    void escapesCountAsWritten() {
        assertThat(JsonSize.of("quote \" backslash \\ slash /"))
                .isEqualTo("\"quote \\\" backslash \\\\ slash /\"".length());
        assertThat(JsonSize.of("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"".length());
        assertThat(JsonSize.of("\u0001\u001f")).isEqualTo("\"\\u0001\\u001f\"".length());
        assertThat(JsonSize.of("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"".length());
        assertThat(JsonSize.of("\u007f é ✓")).isEqualTo("\"\u007f é ✓\"".length());
    }

    @Test
    void supplementaryCharactersCountAsTheirSurrogatePairs() {
        String rocket = "🚀";
        assertThat(rocket.length()).isEqualTo(2);
        assertThat(JsonSize.of(rocket)).isEqualTo(4);
        assertThat(JsonSize.of(Map.of(rocket, rocket + "x"))).isEqualTo("{\"🚀\":\"🚀x\"}".length());
    }

    @Test
    void numbers() {
        assertThat(JsonSize.of(new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890".length());
        assertThat(JsonSize.of(new BigDecimal("-1.25e-3"))).isEqualTo("-0.00125".length());
        assertThat(JsonSize.of(new BigDecimal("1E+5"))).isEqualTo("100000".length());
        assertThat(JsonSize.of(new BigDecimal("2.50"))).isEqualTo("2.50".length());
        assertThat(JsonSize.of(new BigDecimal("0.000"))).isEqualTo("0.000".length());
        assertThat(JsonSize.of(new BigDecimal("0E+3"))).isEqualTo("0".length());
        assertThat(JsonSize.of(2.5)).isEqualTo("2.5".length());
        assertThat(JsonSize.of(1.0)).isEqualTo("1".length());
        assertThat(JsonSize.of(-1e10)).isEqualTo("-10000000000".length());
        assertThat(JsonSize.of(1.5e-7)).isEqualTo("0.00000015".length());
        assertThat(JsonSize.of(0.5f)).isEqualTo("0.5".length());
    }

    @Test
    void aHugeDecimalIsMeasuredWithoutWritingIt() {
        assertThat(JsonSize.of(new BigDecimal("1E+999999999"))).isEqualTo(1_000_000_000L);
        assertThat(JsonSize.of(new BigDecimal("-1E-999999999"))).isEqualTo(1_000_000_002L);
    }

    @Test
    void decimalLengthsMatchTheirPlainNotation() {
        Random random = new Random(42);
        List<BigDecimal> values = new ArrayList<>(List.of(BigDecimal.ZERO, BigDecimal.ONE.negate(),
                new BigDecimal("0.1"), new BigDecimal("-0.0"), new BigDecimal("0E-2"), new BigDecimal("10.0")));
        for (int i = 0; i < 2000; i++) {
            BigInteger unscaled = new BigInteger(1 + random.nextInt(80), random);
            values.add(new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(60) - 30));
        }
        for (BigDecimal value : values) {
            assertThat(JsonSize.of(value)).as(value.toString()).isEqualTo(value.toPlainString().length());
        }
    }

    @Test
    void containers() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "x");
        value.put("null", null);
        value.put("list", Arrays.asList(1L, "two", null, List.of(), Map.of()));
        assertThat(JsonSize.of(value)).isEqualTo("{\"s\":\"x\",\"null\":null,\"list\":[1,\"two\",null,[],{}]}".length());
        assertThat(JsonSize.of(Map.of())).isEqualTo(2);
        assertThat(JsonSize.of(List.of())).isEqualTo(2);
        assertThat(JsonSize.of(List.of(List.of(true)))).isEqualTo("[[true]]".length());
    }

    @Test
    void rejectsNonJsonValuesAndNonFiniteNumbers() {
        assertThatThrownBy(() -> JsonSize.of(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonSize.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonSize.of(List.of(Float.NEGATIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonSize.of(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deepNestingIsBounded() {
        Object deep = List.of();
        for (int i = 0; i < 100; i++) {
            deep = List.of(deep);
        }
        Object nested = deep;
        assertThatThrownBy(() -> JsonSize.of(nested)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper");
    }
}
