package com.dotmac.provisioning.awx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** URL handling of the transport: paths under a base URL with a prefix, and next links that name another host. */
class AwxHttpTest {
    private final AwxJson json = new AwxJson();

    private AwxHttp http(String baseUrl, String apiPath) {
        AwxConfig config = AwxConfig.builder().baseUrl(baseUrl).apiPath(apiPath).token("t0ken-value-x").build();
        return new AwxHttp(new OkHttpClient(), config, json,
                new AwxRetries(0, Backoff.of(Duration.ofMillis(1), Duration.ofMillis(1)), Duration.ZERO, d -> { }),
                Clock.systemUTC());
    }

    @Test
    void pathsAreBuiltBelowTheApiRoot() {
        AwxHttp http = http("https://awx.example.com", "/api/v2/");

        assertThat(http.url("job_templates/14/launch/").build().toString())
                .isEqualTo("https://awx.example.com/api/v2/job_templates/14/launch/");
        assertThat(http.url("jobs/").addEncodedQueryParameter("id__in", "1,2,3").build().toString())
                .isEqualTo("https://awx.example.com/api/v2/jobs/?id__in=1,2,3");
    }

    @Test
    void aBaseUrlWithAPrefixKeepsItForAwxsAbsolutePaths() {
        AwxHttp http = http("https://tools.example.com/awx", "/api/v2/");

        assertThat(http.api().toString()).isEqualTo("https://tools.example.com/awx/api/v2/");
        assertThat(http.underBase("/api/v2/jobs/?page=2").toString())
                .isEqualTo("https://tools.example.com/awx/api/v2/jobs/?page=2");
        assertThat(http.underBase("/awx/api/v2/jobs/?page=2").toString())
                .isEqualTo("https://tools.example.com/awx/api/v2/jobs/?page=2");
    }

    @Test
    void anAbsoluteNextLinkNeverLeavesTheConfiguredHost() {
        AwxHttp http = http("https://awx.example.com", "/api/v2/");

        assertThat(http.underBase("http://awx-internal:8052/api/v2/jobs/?id__in=1,2&page=2").toString())
                .isEqualTo("https://awx.example.com/api/v2/jobs/?id__in=1,2&page=2");
    }

    @Test
    void fieldMessagesAreFormattedForOperators() throws Exception {
        JsonNode detail = json.parse("{\"detail\": \"Not found.\"}");
        JsonNode fields = json.parse("{\"inventory\": [\"Invalid pk \\\"9\\\" - object does not exist.\"],"
                + " \"__all__\": [\"Inventory with this Name and Organization already exists.\"]}");

        assertThat(AwxMessages.fieldMessages(detail)).isEqualTo("Not found.");
        assertThat(AwxMessages.fieldMessages(fields)).isEqualTo("inventory: Invalid pk \"9\" - object does not"
                + " exist.; Inventory with this Name and Organization already exists.");
        assertThat(AwxMessages.oneLine("\u001b[0;31mfatal: [h]: FAILED!\r\n  => x\u001b[0m"))
                .isEqualTo("fatal: [h]: FAILED! => x");
        assertThat(AwxMessages.redactBearer("Authorization: Bearer abcdefgh12345678"))
                .isEqualTo("Authorization: Bearer [redacted]");
    }
}
