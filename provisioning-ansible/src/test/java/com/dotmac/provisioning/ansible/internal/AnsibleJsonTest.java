package com.dotmac.provisioning.ansible.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.ansible.HostStats;
import com.dotmac.provisioning.rules.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnsibleJsonTest {
    @TempDir
    Path temp;

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
        assertThat(AnsibleJson.readObject(AnsibleJson.write(value))).isEqualTo(JsonValues.copy(value));
    }

    @Test
    void stringsStayOneLineForYaml() {
        assertThat(AnsibleJson.write("a\u2028b\u2029c\nd")).isEqualTo("\"a\\u2028b\\u2029c\\nd\"");
        assertThat(AnsibleJson.write("é/✓")).isEqualTo("\"é/✓\"");
    }

    @Test
    void writesCompactJsonWithPlainDecimals() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", new BigDecimal("1E+5"));
        value.put("a", List.of(1, 2.5));
        assertThat(AnsibleJson.write(value)).isEqualTo("{\"z\":100000,\"a\":[1,2.5]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "{} extra", "{\"a\":NaN}", "{\"a\":1,\"a\":2}", "[1]",
        "null"})
    void readingIsStrict(String text) {
        assertThatThrownBy(() -> AnsibleJson.readObject(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNonJsonValuesAndNonFiniteNumbers() {
        assertThatThrownBy(() -> AnsibleJson.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnsibleJson.write(Map.of("d", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventLinesThatAreNotOneJsonObjectAreSkipped() throws Exception {
        Path file = temp.resolve("events.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"event\": \"task_start\", \"task\": \"Render\"}",
                "not json",
                "{\"event\": \"failed\", \"host\": \"h1\", \"task\": \"Render\", \"msg\": \"dup\", \"msg\": \"x\"}",
                "{\"event\": \"failed\", \"host\": \"h1\", \"task\": \"Render\", \"msg\": NaN}",
                "[\"an\", \"array\"]",
                "",
                "{\"event\": \"failed\", \"host\": \"h1\", \"task\": \"Render\", \"msg\": \"boom\"}",
                "{\"event\": \"stats\", \"hosts\": {\"h1\": {\"failures\": 1, \"ok\": 3}},"
                        + " \"custom\": {\"_run\": {\"port\": 20001, \"ratio\": 0.5}}}",
                "{\"event\": \"stats\", \"hosts\": {\"h1\": {\"fail"));

        RunEvents events = RunEvents.read(file);

        assertThat(events.finished()).isTrue();
        assertThat(events.lastTask()).contains("Render");
        assertThat(events.hosts()).containsEntry("h1", new HostStats(3, 0, 1, 0, 0, 0, 0));
        assertThat(events.artifacts()).containsEntry("port", 20001L).containsEntry("ratio", new BigDecimal("0.5"));
        assertThat(events.failureDetail(200)).contains("task 'Render' failed on host h1: boom");
    }
}
