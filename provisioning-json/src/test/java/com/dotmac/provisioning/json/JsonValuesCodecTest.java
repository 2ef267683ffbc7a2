package com.dotmac.provisioning.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared codec: strict reading, normalised values, and the YAML-safe variant's extra escapes. */
class JsonValuesCodecTest {
    @Test
    void roundTripsNormalisedValues() {
        String text = JsonValuesCodec.standard().write(Map.of("n", 1, "d", 2.5, "l", List.of("a", true)));
        assertThat(JsonValuesCodec.standard().readObject(text))
                .isEqualTo(Map.of("n", 1L, "d", new BigDecimal("2.5"), "l", List.of("a", true)));
    }

    @Test
    void refusesDuplicateKeysTrailingTextAndNonObjectsWithoutQuotingTheText() {
        assertThatThrownBy(() -> JsonValuesCodec.standard().readObject("{\"secret\":1,\"secret\":2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> JsonValuesCodec.standard().readObject("{} {}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> JsonValuesCodec.standard().readObject("[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected a JSON object");
    }

    @Test
    void onlyTheYamlSafeCodecEscapesLineAndParagraphSeparators() {
        String value = "a\u2028b\u2029c";
        assertThat(JsonValuesCodec.standard().write(value)).isEqualTo("\"" + value + "\"");
        assertThat(JsonValuesCodec.yamlSafe().write(value)).isEqualTo("\"a\\u2028b\\u2029c\"");
        assertThat(JsonValuesCodec.yamlSafe().readObject("{\"v\":" + JsonValuesCodec.yamlSafe().write(value) + "}"))
                .containsEntry("v", value);
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "{\"a\":".repeat(JsonValuesCodec.MAX_DEPTH + 1) + "1" + "}".repeat(JsonValuesCodec.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonValuesCodec.standard().readObject(deep))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
