package com.dotmac.provisioning.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredTextTest {

    @Test
    void nulAndUnpairedSurrogatesBecomeTheReplacementCharacterAndEverythingElseIsKept() {
        assertThat(StoredText.clean("a\u0000b\u0001\u001b[0m\u007f\t\n")).isEqualTo("a\uFFFDb\u0001\u001b[0m\u007f\t\n");
        assertThat(StoredText.clean("rocket \uD83D\uDE80")).isEqualTo("rocket \uD83D\uDE80");
        assertThat(StoredText.clean("\uD83D x \uDE80")).isEqualTo("\uFFFD x \uFFFD");
        assertThat(StoredText.clean((String) null)).isNull();
    }

    @Test
    void whatNeedsNothingIsReturnedAsItIs() {
        String text = "plain \u0001 text \uD83D\uDE80";
        Map<String, Object> map = Map.of("k", List.of(text, Map.of("n", 1L)));
        assertThat(StoredText.clean(text)).isSameAs(text);
        assertThat(StoredText.clean(map)).isSameAs(map);
    }

    @Test
    void mapsAreCleanedDeeplyKeysIncludedKeepingTheirOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("first", 1L);
        map.put("k\u0000", List.of("v\u0000", Map.of("x\u0000", "y")));
        map.put("last", true);

        Map<String, Object> cleaned = StoredText.clean(map);

        assertThat(cleaned).containsExactly(Map.entry("first", 1L),
                Map.entry("k\uFFFD", List.of("v\uFFFD", Map.of("x\uFFFD", "y"))), Map.entry("last", true));
    }
}
