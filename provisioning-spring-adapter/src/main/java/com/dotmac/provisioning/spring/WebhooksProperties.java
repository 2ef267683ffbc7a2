package com.dotmac.provisioning.spring;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Signed CloudEvents webhooks ({@code provisioning-webhooks} on the class path), bound under
 * {@code provisioning.webhooks} as part of {@link ProvisioningProperties}: one entry under {@code subscriptions} per
 * receiver. Validated at start-up by {@link ProvisioningWebhooksAutoConfiguration}. The defaults repeat
 * {@code Webhooks.DEFAULT_MAX_ATTEMPTS}, {@code Webhooks.DEFAULT_TIMEOUT}, {@code Webhooks.DEFAULT_CLAIM_BATCH} and
 * {@code CloudEventsFormat.DEFAULT_SOURCE}
 * (the module is optional, so its classes are not loaded here; a test holds them equal). {@link #toString()} never
 * shows a secret. Not thread-safe: bound once at start-up.
 */
public class WebhooksProperties {
    /** The receivers, by name (lower case letters, digits, '_' and '-'): the name deliveries and dead letters carry. */
    private Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Attempts before a delivery becomes a dead letter. */
    private int maxAttempts = 8;
    /** The timeout of one request to a receiver. */
    private Duration timeout = Duration.ofSeconds(10);
    /**
     * The most deliveries one claim of the dispatcher takes from the queue (each claim reads the head of every live
     * queue); the claim's lease grows with it.
     */
    private int claimBatch = 32;
    /** The CloudEvents "source" attribute of every event. */
    private URI source = URI.create("/tenant-provisioning");

    /** @return the receivers by name */
    public Map<String, Subscription> getSubscriptions() {
        return subscriptions;
    }

    /** @param subscriptions the receivers by name */
    public void setSubscriptions(Map<String, Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** @return attempts before a dead letter */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** @param maxAttempts attempts before a dead letter */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** @return the timeout of one request */
    public Duration getTimeout() {
        return timeout;
    }

    /** @param timeout the timeout of one request */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** @return the most deliveries one claim takes */
    public int getClaimBatch() {
        return claimBatch;
    }

    /** @param claimBatch the most deliveries one claim takes */
    public void setClaimBatch(int claimBatch) {
        this.claimBatch = claimBatch;
    }

    /** @return the CloudEvents source */
    public URI getSource() {
        return source;
    }

    /** @param source the CloudEvents source */
    public void setSource(URI source) {
        this.source = source;
    }

    /** @return the settings and the subscriptions' names; never a secret */
    @Override
    public String toString() {
        return "WebhooksProperties[subscriptions=" + subscriptions.keySet() + ", maxAttempts=" + maxAttempts
                + ", timeout=" + timeout + ", claimBatch=" + claimBatch + ", source=" + source + "]";
    }

    /** One receiver. Not thread-safe: bound once at start-up. */
    public static class Subscription {
        /** Where to post: an absolute https URL (http only for a loopback host, or with allow-insecure-http). */
        private @Nullable String url;
        /** The signing secret, at least 32 bytes (e.g. the output of 'openssl rand -hex 32'). Never logged. */
        private @Nullable String secret;
        /** Event types wanted: exact (job.succeeded, rollout.paused) or a prefix (job.*); empty means all. */
        private List<String> eventTypes = new ArrayList<>();
        /** Tenant ids wanted; empty means all (and rollout events, which name no tenant). */
        private List<String> tenants = new ArrayList<>();
        /** Whether a plain http URL to a host other than loopback is accepted (a receiver in a trusted network). */
        private boolean allowInsecureHttp;

        /** @return where to post */
        public @Nullable String getUrl() {
            return url;
        }

        /** @param url where to post */
        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        /** @return the signing secret */
        public @Nullable String getSecret() {
            return secret;
        }

        /** @param secret the signing secret */
        public void setSecret(@Nullable String secret) {
            this.secret = secret;
        }

        /** @return the event types wanted */
        public List<String> getEventTypes() {
            return eventTypes;
        }

        /** @param eventTypes the event types wanted */
        public void setEventTypes(List<String> eventTypes) {
            this.eventTypes = eventTypes;
        }

        /** @return the tenants wanted */
        public List<String> getTenants() {
            return tenants;
        }

        /** @param tenants the tenants wanted */
        public void setTenants(List<String> tenants) {
            this.tenants = tenants;
        }

        /** @return whether plain http to any host is accepted */
        public boolean isAllowInsecureHttp() {
            return allowInsecureHttp;
        }

        /** @param allowInsecureHttp whether plain http to any host is accepted */
        public void setAllowInsecureHttp(boolean allowInsecureHttp) {
            this.allowInsecureHttp = allowInsecureHttp;
        }

        /** @return the URL's presence and the filters; never the secret */
        @Override
        public String toString() {
            return "Subscription[eventTypes=" + eventTypes + ", tenants=" + tenants + "]";
        }
    }
}
