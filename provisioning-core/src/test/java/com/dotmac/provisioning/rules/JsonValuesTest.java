package com.dotmac.provisioning.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    @Test
    void copiesNormaliseNumbersAndAreUnmodifiable() {
        Map<String, Object> copy = JsonValues.copyMap(Map.of("i", 1, "d", 2.5, "l", List.of((short) 3)));
        assertThat(copy).containsEntry("i", 1L).containsEntry("d", new BigDecimal("2.5"))
                .containsEntry("l", List.of(3L));
        assertThatThrownBy(() -> copy.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void smallBigIntegersBecomeLongs() {
        assertThat(JsonValues.copy(BigInteger.TEN)).isEqualTo(10L);
        BigInteger big = new BigInteger("123456789012345678901234567890");
        assertThat(JsonValues.copy(big)).isEqualTo(big);
    }

    @Test
    void rejectsNonJsonValuesAndNonFiniteNumbers() {
        assertThatThrownBy(() -> JsonValues.copy(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.copy(new Object())).isInstanceOf(IllegalArgumentException.class);
    }
}
