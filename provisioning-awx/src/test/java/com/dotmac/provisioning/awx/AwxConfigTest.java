package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The configuration: defaults, validation naming the setting, secrets hidden, and the caller's HTTP client. */
class AwxConfigTest extends FakeAwxTest {
    private static final String TOKEN = "tok-3b9d0c7e5a1f";

    private static AwxConfig.Builder minimal() {
        return AwxConfig.builder().baseUrl("https://awx.example.com").token(TOKEN);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        AwxConfig config = minimal().build();

        assertThat(config.baseUrl()).isEqualTo("https://awx.example.com/");
        assertThat(config.apiPath()).isNull();
        assertThat(config.connectTimeout()).isEqualTo(AwxConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(config.readTimeout()).isEqualTo(AwxConfig.DEFAULT_READ_TIMEOUT);
        assertThat(config.maxRetries()).isEqualTo(AwxConfig.DEFAULT_MAX_RETRIES);
        assertThat(config.pollBatchSize()).isEqualTo(200);
        assertThat(config.findLaunchedClockSkew()).isEqualTo(AwxConfig.DEFAULT_FIND_LAUNCHED_CLOCK_SKEW);
        assertThat(config.insecureSkipTlsVerify()).isFalse();
        assertThat(config.sslSocketFactory()).isNull();
        assertThat(config.inventoryNamePrefix()).isEqualTo("tenant-");
        assertThat(config.targetGroup()).isEqualTo("tenant_targets");
    }

    @Test
    void theLaunchSettleTimeIsTwiceTheReadTimeoutUnlessSetAndTheRunnerDeclaresIt() {
        assertThat(minimal().build().launchSettleTime()).isEqualTo(Duration.ofSeconds(60));
        AwxConfig slow = minimal().readTimeout(Duration.ofSeconds(45)).build();
        assertThat(slow.launchSettleTime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(slow.toBuilder().readTimeout(Duration.ofSeconds(10)).build().launchSettleTime())
                .as("a settle time that followed the read timeout keeps following it")
                .isEqualTo(Duration.ofSeconds(20));
        AwxConfig set = minimal().launchSettleTime(Duration.ofMinutes(3)).build();
        assertThat(set.launchSettleTime()).isEqualTo(Duration.ofMinutes(3));
        assertThat(set.toBuilder().readTimeout(Duration.ofSeconds(10)).build().launchSettleTime())
                .isEqualTo(Duration.ofMinutes(3));
        assertThat(minimal().launchSettleTime(Duration.ZERO).build().launchSettleTime()).isZero();
        assertThatThrownBy(() -> minimal().launchSettleTime(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("launchSettleTime");
        try (AwxAutomationRunner runner = new AwxAutomationRunner(set)) {
            assertThat(runner.launchSettleTime()).isEqualTo(Duration.ofMinutes(3));
        }
    }

    @Test
    void templatesResolveByOperationWithAPerModeOverride() {
        AwxConfig config = minimal().jobTemplate(Operation.PROVISION, 14)
                .jobTemplate(Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED, 21).build();

        assertThat(config.jobTemplateFor(Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED)).isEqualTo(14L);
        assertThat(config.jobTemplateFor(Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED)).isEqualTo(21L);
        assertThat(config.jobTemplateFor(Operation.UPGRADE, DeploymentMode.DOTMAC_HOSTED)).isNull();
        assertThat(config.toBuilder().build().jobTemplateFor(Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED))
                .isEqualTo(21L);
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AwxConfig.builder().token(TOKEN).build()).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> AwxConfig.builder().baseUrl("https://awx.example.com").build())
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> minimal().baseUrl("ftp://awx.example.com").build()).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> minimal().baseUrl("https://admin:hunter2@awx.example.com").build())
                .hasMessageContaining("must not carry credentials").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> minimal().apiPath("api/v2").build()).hasMessageContaining("apiPath");
        assertThatThrownBy(() -> minimal().jobTemplate(Operation.PROVISION, 0)).hasMessageContaining("jobTemplate");
        assertThatThrownBy(() -> minimal().organizationId(-1L).build()).hasMessageContaining("organizationId");
        assertThatThrownBy(() -> minimal().readTimeout(Duration.ZERO).build()).hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> minimal().pollBatchSize(500).build()).hasMessageContaining("pollBatchSize");
        assertThatThrownBy(() -> minimal().maxRetries(-1).build()).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> AwxCredentials.bearerToken("two words")).hasMessageContaining("token");
        assertThatThrownBy(() -> AwxCredentials.basic("a:b", "pw")).hasMessageContaining("username");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(minimal().build().toString()).doesNotContain(TOKEN).contains("bearer token, hidden");
        assertThat(minimal().basicAuth("svc", "s3cret-pw").build().toString()).doesNotContain("s3cret-pw")
                .contains("svc");
    }

    @Test
    void theCallersClientIsDerivedFromAndShared() {
        OkHttpClient caller = new OkHttpClient.Builder()
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                        .header("X-Request-Source", "platform").build()))
                .build();
        AwxAutomationRunner runner = new AwxAutomationRunner(fake.configBuilder().httpClient(caller).build(),
                sleeper, Clock.systemUTC());

        runner.poll(List.of("1"));
        runner.close();

        assertThat(fake.calls()).isNotEmpty().extracting(RecordedCall::authorization)
                .containsOnly("Bearer " + FakeAwx.TOKEN);
        assertThat(fake.calls()).extracting(c -> c.headers().get("X-Request-Source")).containsOnly("platform");
        assertThat(caller.connectionPool().connectionCount()).isPositive();
        assertThat(caller.dispatcher().executorService().isShutdown()).isFalse();
    }
}
