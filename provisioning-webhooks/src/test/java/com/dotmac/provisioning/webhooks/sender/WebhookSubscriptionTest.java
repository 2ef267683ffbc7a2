package com.dotmac.provisioning.webhooks.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.events.ProvisioningEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Subscriptions are validated when built (errors name the field, never the secret) and filter events. */
class WebhookSubscriptionTest {
    static final String SECRET = "whsec-0123456789abcdef0123456789abcdef";

    private static WebhookSubscription.Builder valid() {
        return WebhookSubscription.builder("billing").url("https://hooks.example.com/in?token=abc").secret(SECRET);
    }

    static ProvisioningEvent jobEvent(String type, String tenant) {
        return new ProvisioningEvent("e-" + type + tenant, type, tenant, "job-1", null, Instant.EPOCH, Map.of());
    }

    @Test
    void aValidSubscriptionShowsNeitherItsSecretNorItsQuery() {
        WebhookSubscription s = valid().build();
        assertThat(s.toString()).contains("billing", "https://hooks.example.com/in").doesNotContain(SECRET)
                .doesNotContain("token=abc");
    }

    @Test
    void urlsOutsideTheAllowListAreRefusedNamingTheField() {
        assertThatThrownBy(() -> valid().url("http://hooks.example.com/in").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("url: must use https");
        assertThatThrownBy(() -> valid().url("ftp://hooks.example.com/in").build()).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> valid().url("/relative").build()).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> valid().url("https://user:pw@hooks.example.com/").build())
                .hasMessageStartingWith("url: must not carry user-info").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> valid().url("https://hooks.example.com/#frag").build())
                .hasMessageStartingWith("url: must not have a fragment");
        assertThatThrownBy(() -> valid().url("https:///nohost").build()).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> valid().url("https://bad host/").build()).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> WebhookSubscription.builder("billing").secret(SECRET).build())
                .hasMessage("url: required");
    }

    @Test
    void plainHttpIsAcceptedForLoopbackOrWhenExplicitlyAllowed() {
        assertThat(valid().url("http://localhost:8080/in").build().url().getPort()).isEqualTo(8080);
        assertThat(valid().url("http://127.0.0.1:8080/in").build()).isNotNull();
        assertThat(valid().url("http://[::1]:8080/in").build()).isNotNull();
        assertThat(valid().url("http://hooks.internal/in").allowInsecureHttp(true).build()).isNotNull();
        assertThatThrownBy(() -> valid().url("http://localhost.evil.example/in").build())
                .hasMessageStartingWith("url: must use https");
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> valid().secret("short-secret-value").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("secret: must be at least 32")
                .hasMessageNotContaining("short-secret-value");
        assertThatThrownBy(() -> WebhookSubscription.builder("billing").url("https://x.example.com").build())
                .hasMessage("secret: required");
    }

    @Test
    void namesTypesAndTenantsAreChecked() {
        assertThatThrownBy(() -> WebhookSubscription.builder("Bad Name").url("https://x.example.com")
                .secret(SECRET).build()).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> valid().eventTypes("job.succeeded", "everything").build())
                .hasMessageStartingWith("event-types: 'everything'");
        assertThatThrownBy(() -> valid().tenants("bad tenant").build()).hasMessageStartingWith("tenants:");
    }

    @Test
    void filtersByExactTypePrefixAndTenantAndRolloutEventsGoOnlyToSubscriptionsWithoutATenantFilter() {
        WebhookSubscription all = valid().build();
        WebhookSubscription jobs = valid().eventTypes("job.*").build();
        WebhookSubscription exact = valid().eventTypes("job.succeeded", "rollout.paused").build();
        WebhookSubscription acme = valid().tenants("acme").build();
        ProvisioningEvent succeeded = jobEvent("job.succeeded", "acme");
        ProvisioningEvent failedOther = jobEvent("job.failed", "globex");
        ProvisioningEvent paused = new ProvisioningEvent("r1", "rollout.paused", null, null, "ro-1", Instant.EPOCH,
                Map.of());

        assertThat(all.matches(succeeded)).isTrue();
        assertThat(all.matches(paused)).isTrue();
        assertThat(jobs.matches(failedOther)).isTrue();
        assertThat(jobs.matches(paused)).isFalse();
        assertThat(exact.matches(succeeded)).isTrue();
        assertThat(exact.matches(failedOther)).isFalse();
        assertThat(exact.matches(paused)).isTrue();
        assertThat(acme.matches(succeeded)).isTrue();
        assertThat(acme.matches(failedOther)).isFalse();
        assertThat(acme.matches(paused)).as("a rollout names no tenant").isFalse();
    }
}
