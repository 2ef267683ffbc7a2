package com.dotmac.provisioning.webhooks.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.json.JsonValuesCodec;
import com.dotmac.provisioning.testkit.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The CloudEvents body, and the signature recipe checked by an independent HMAC and by the verifier. */
class CloudEventsAndSignatureTest {
    private static final byte[] SECRET = WebhookSubscriptionTest.SECRET.getBytes(StandardCharsets.UTF_8);

    private static ProvisioningEvent succeeded(Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("operation", "provision");
        data.put("from", "in_progress");
        data.put("to", "succeeded");
        data.put("message", "done");
        data.putAll(extra);
        return new ProvisioningEvent("9b1f6c9e-1111-4a4a-8888-000000000001", "job.succeeded", "acme", "job-7", null,
                Instant.parse("2026-03-01T10:15:30.123Z"), data);
    }

    @Test
    void aJobEventIsAStructuredCloudEvent() {
        Map<String, Object> ce = JsonValuesCodec.standard()
                .readObject(CloudEventsFormat.standard().write(succeeded(Map.of())));

        assertThat(ce).containsEntry("specversion", "1.0")
                .containsEntry("id", "9b1f6c9e-1111-4a4a-8888-000000000001")
                .containsEntry("source", "/tenant-provisioning")
                .containsEntry("type", "com.dotmac.provisioning.job.succeeded")
                .containsEntry("subject", "acme")
                .containsEntry("time", "2026-03-01T10:15:30.123Z")
                .containsEntry("datacontenttype", "application/json")
                .doesNotContainKey("traceparent");
        assertThat(ce.get("data")).isEqualTo(Map.of("tenant_id", "acme", "job_id", "job-7", "operation", "provision",
                "from", "in_progress", "to", "succeeded", "message", "done"));
    }

    @Test
    void aRolloutEventHasTheRolloutAsSubjectAndATraceparentBecomesTheExtension() {
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        ProvisioningEvent rollout = new ProvisioningEvent("r-1", "rollout.paused", null, null, "ro-9",
                Instant.parse("2026-03-01T10:15:30Z"), Map.of("to", "paused", "traceparent", tp));
        Map<String, Object> ce = JsonValuesCodec.standard()
                .readObject(new CloudEventsFormat(URI.create("https://platform.example.com/prov")).write(rollout));

        assertThat(ce).containsEntry("subject", "rollouts/ro-9").containsEntry("traceparent", tp)
                .containsEntry("source", "https://platform.example.com/prov")
                .containsEntry("type", "com.dotmac.provisioning.rollout.paused");
        assertThat(ce.get("data")).isEqualTo(Map.of("rollout_id", "ro-9", "to", "paused"));

        Map<String, Object> notAString = JsonValuesCodec.standard()
                .readObject(CloudEventsFormat.standard().write(succeeded(Map.of("traceparent", 42))));
        assertThat(notAString).doesNotContainKey("traceparent");
    }

    /** The documented recipe, written independently of the library's signer. */
    static String recipe(byte[] secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSignatureFollowsTheRecipeAndTheVerifierAcceptsIt() throws Exception {
        String body = CloudEventsFormat.standard().write(succeeded(Map.of()));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:15:31Z"));
        long ts = clock.instant().getEpochSecond();

        String signature = WebhookSignature.sign(SECRET, ts, body);

        assertThat(signature).isEqualTo(recipe(SECRET, Long.toString(ts), body)).matches("v1=[0-9a-f]{64}");
        new WebhookSignatureVerifier(SECRET, WebhookSignatureVerifier.DEFAULT_TOLERANCE, clock)
                .verify(Long.toString(ts), "v1=" + "0".repeat(64) + " " + signature, body);
    }

    @Test
    void theVerifierRejectsStaleAndFutureTimestampsTamperedBodiesAndOtherSecrets() throws Exception {
        String body = CloudEventsFormat.standard().write(succeeded(Map.of()));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:15:31Z"));
        String ts = Long.toString(clock.instant().getEpochSecond());
        String signature = recipe(SECRET, ts, body);
        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET, Duration.ofMinutes(5), clock);

        assertThatThrownBy(() -> verifier.verify(ts, signature, body.replace("succeeded", "failed")))
                .isInstanceOf(InvalidWebhookSignatureException.class)
                .hasMessage("signature does not match the body and timestamp");
        assertThatThrownBy(() -> verifier.verify(ts, recipe("another-secret-another-secret-0000"
                .getBytes(StandardCharsets.UTF_8), ts, body), body)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> verifier.verify(ts, "v1=zz", body)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> verifier.verify(null, signature, body)).hasMessage("missing Webhook-Timestamp header");
        assertThatThrownBy(() -> verifier.verify(ts, null, body)).hasMessage("missing Webhook-Signature header");

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThatThrownBy(() -> verifier.verify(ts, signature, body)).isInstanceOf(
                InvalidWebhookSignatureException.class).hasMessageStartingWith("timestamp too old: 301 s");
        clock.advance(Duration.ofMinutes(-11));
        assertThatThrownBy(() -> verifier.verify(ts, signature, body))
                .hasMessageStartingWith("timestamp in the future");
        assertThat(verifier.toString()).doesNotContain(WebhookSubscriptionTest.SECRET);
    }
}
