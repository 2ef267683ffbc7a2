package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.RunState;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS is verified by default; custom trust material or an explicit, logged opt-out changes that. */
class AwxTlsTest {
    private final HeldCertificate certificate = new HeldCertificate.Builder().commonName("awx.test")
            .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
    private final FakeAwx fake = new FakeAwx();
    private AwxAutomationRunner runner;

    @BeforeEach
    void startHttpsAwx() throws IOException {
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        fake.startHttps(server.sslSocketFactory());
        fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), java.time.Instant.now(),
                com.dotmac.provisioning.awx.fake.RunScript.succeedAfter(0));
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
        fake.close();
    }

    private AwxAutomationRunner runner(Consumer<AwxConfig.Builder> customise) {
        AwxConfig.Builder builder = fake.configBuilder().maxRetries(0);
        customise.accept(builder);
        runner = new AwxAutomationRunner(builder.build(), new RecordingSleeper(), Clock.systemUTC());
        return runner;
    }

    @Test
    void aSelfSignedCertificateIsRefusedByDefault() {
        assertThat(fake.baseUrl()).startsWith("https://");

        AutomationException e = FakeAwxTest.failure(() -> runner(b -> { }).poll(List.of("327")));

        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("TLS handshake with AWX failed").contains("trust material");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void customTrustMaterialIsAccepted() {
        HandshakeCertificates client = new HandshakeCertificates.Builder()
                .addTrustedCertificate(certificate.certificate()).build();

        var statuses = runner(b -> b.trustMaterial(client.sslSocketFactory(), client.trustManager()))
                .poll(List.of("327"));

        assertThat(statuses.get("327").state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void skippingVerificationWorksAndIsLoggedAsAWarning() {
        try (LogCapture logs = new LogCapture()) {
            var statuses = runner(b -> b.insecureSkipTlsVerify(true)).poll(List.of("327"));

            assertThat(statuses.get("327").state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(logs.events()).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("TLS verification for AWX").contains("is OFF");
            });
        }
    }

    @Test
    void trustMaterialAndSkippingVerificationExcludeEachOther() {
        HandshakeCertificates client = new HandshakeCertificates.Builder()
                .addTrustedCertificate(certificate.certificate()).build();

        assertThatThrownBy(() -> fake.configBuilder().insecureSkipTlsVerify(true)
                .trustMaterial(client.sslSocketFactory(), client.trustManager()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude each other");
    }
}
