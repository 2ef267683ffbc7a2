package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.events.ProvisioningEvent;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One webhook receiver: where to post, the secret that signs each request, and which events it wants. Validated when
 * built (the "URL validated at start-up" of a host): an absolute {@code https} URL with a host, no user-info and no
 * fragment ({@code http} only for a loopback host, or with {@link Builder#allowInsecureHttp(boolean)}), and a
 * secret of at least {@value #MIN_SECRET_BYTES} bytes. Errors name the field, never the secret; {@link #toString()}
 * shows neither the secret nor the URL's query.
 *
 * <p>Filters: event types are exact ({@code job.succeeded}, {@code rollout.paused}) or a prefix with a wildcard
 * ({@code job.*}); none means every type. Tenants are exact ids; none means every tenant. A rollout event names no
 * tenant, so it goes only to subscriptions without a tenant filter.
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookSubscription {
    /** The shortest secret accepted, in UTF-8 bytes: 32 (256 bits, the HMAC-SHA256 key size). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z_]*\\.([a-z][a-z_]*|\\*)");

    private final String name;
    private final URI url;
    private final byte[] secret;
    private final Set<String> eventTypes;
    private final Set<String> tenants;

    private WebhookSubscription(Builder b) {
        this.name = checkName(b.name);
        this.url = checkUrl(b.url, b.allowInsecureHttp);
        this.secret = checkSecret(b.secret);
        this.eventTypes = checkEventTypes(b.eventTypes);
        this.tenants = checkTenants(b.tenants);
    }

    /**
     * @param name the subscription's name (lower case letters, digits, {@code _} and {@code -}, at most 64)
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the name, which deliveries and dead letters carry */
    public String name() {
        return name;
    }

    /** @return where requests are posted */
    public URI url() {
        return url;
    }

    /** @return the exact types and {@code prefix.*} patterns wanted; empty: every type */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** @return the tenants wanted; empty: every tenant, and rollout events */
    public Set<String> tenants() {
        return tenants;
    }

    /** @return a copy of the signing secret (package-private: only the signer reads it) */
    byte[] secret() {
        return secret.clone();
    }

    /**
     * @param event an event
     * @return whether this subscription wants it (by type and tenant)
     */
    public boolean matches(ProvisioningEvent event) {
        return typeMatches(event.type()) && tenantMatches(event.tenantId());
    }

    private boolean typeMatches(String type) {
        if (eventTypes.isEmpty() || eventTypes.contains(type)) {
            return true;
        }
        for (String pattern : eventTypes) {
            if (pattern.endsWith(".*") && type.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private boolean tenantMatches(@Nullable String tenantId) {
        return tenants.isEmpty() || (tenantId != null && tenants.contains(tenantId));
    }

    /** @return the name, the URL without its query, and the filters; never the secret */
    @Override
    public String toString() {
        return "WebhookSubscription[name=" + name + ", url=" + redacted(url) + ", eventTypes=" + eventTypes
                + ", tenants=" + tenants + "]";
    }

    /**
     * @param url a URL
     * @return it without user-info, query and fragment, for logs and messages
     */
    static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static String checkName(@Nullable String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: a subscription name is 1-64 lower case letters, digits, '_' or"
                    + " '-', starting with a letter or digit");
        }
        return name;
    }

    private static URI checkUrl(@Nullable String text, boolean allowInsecureHttp) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("url: required");
        }
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: not a valid URI (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.isOpaque()) {
            throw new IllegalArgumentException("url: must be an absolute https URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("url: must name a host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url: must not carry user-info (credentials in a URL end up in logs)");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("url: must not have a fragment");
        }
        if (scheme.equals("http")) {
            if (!allowInsecureHttp && !isLoopback(url.getHost())) {
                throw new IllegalArgumentException("url: must use https (plain http only for a loopback host, or"
                        + " with allow-insecure-http), was http://" + url.getHost());
            }
        } else if (!scheme.equals("https")) {
            throw new IllegalArgumentException("url: must use https, was '" + scheme + "'");
        }
        return url;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false; // a name other than localhost: never resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal address: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static byte[] checkSecret(char @Nullable [] secret) {
        if (secret == null) {
            throw new IllegalArgumentException("secret: required");
        }
        byte[] exact = new String(secret).getBytes(StandardCharsets.UTF_8);
        if (exact.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret: must be at least " + MIN_SECRET_BYTES + " bytes, was "
                    + exact.length);
        }
        return exact;
    }

    private static Set<String> checkEventTypes(Collection<String> types) {
        Set<String> out = new LinkedHashSet<>();
        for (String type : types) {
            String t = Objects.requireNonNull(type, "eventTypes: null entry").trim();
            if (!EVENT_TYPE.matcher(t).matches()) {
                throw new IllegalArgumentException("event-types: '" + abbreviate(t) + "' is not an event type such"
                        + " as job.succeeded, rollout.paused or job.*");
            }
            out.add(t);
        }
        return Set.copyOf(out);
    }

    private static Set<String> checkTenants(Collection<String> tenants) {
        Set<String> out = new LinkedHashSet<>();
        for (String tenant : tenants) {
            String t = Objects.requireNonNull(tenant, "tenants: null entry").trim();
            String error = com.dotmac.provisioning.rules.InputRules.tenantId(t);
            if (error != null) {
                throw new IllegalArgumentException("tenants: '" + abbreviate(t) + "' " + error);
            }
            out.add(t);
        }
        return Set.copyOf(out);
    }

    private static String abbreviate(String s) {
        return com.dotmac.provisioning.rules.Strings.abbreviate(s, 40);
    }

    /** A mutable builder of {@link WebhookSubscription}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private @Nullable String url;
        private char @Nullable [] secret;
        private Collection<String> eventTypes = Set.of();
        private Collection<String> tenants = Set.of();
        private boolean allowInsecureHttp;

        private Builder(String name) {
            this.name = name;
        }

        /** @param url where to post (absolute https) @return this */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** @param secret the signing secret, at least 32 bytes in UTF-8 (copied) @return this */
        public Builder secret(String secret) {
            this.secret = secret.toCharArray();
            return this;
        }

        /** @param secret the signing secret, at least 32 bytes in UTF-8 (copied) @return this */
        public Builder secret(char[] secret) {
            this.secret = secret.clone();
            return this;
        }

        /** @param types exact types or {@code prefix.*}; empty: all (the default) @return this */
        public Builder eventTypes(Collection<String> types) {
            this.eventTypes = java.util.List.copyOf(types);
            return this;
        }

        /** @param types exact types or {@code prefix.*} @return this */
        public Builder eventTypes(String... types) {
            return eventTypes(Arrays.asList(types));
        }

        /** @param tenants tenant ids; empty: all (the default) @return this */
        public Builder tenants(Collection<String> tenants) {
            this.tenants = java.util.List.copyOf(tenants);
            return this;
        }

        /** @param tenants tenant ids @return this */
        public Builder tenants(String... tenants) {
            return tenants(Arrays.asList(tenants));
        }

        /**
         * @param allow whether a plain {@code http} URL to a host other than loopback is accepted (default false;
         *     only for a receiver inside a trusted network)
         * @return this
         */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /**
         * @return the subscription
         * @throws IllegalArgumentException naming the first bad field ({@code name}, {@code url}, {@code secret},
         *     {@code event-types}, {@code tenants}); never showing the secret
         */
        public WebhookSubscription build() {
            return new WebhookSubscription(this);
        }
    }
}
