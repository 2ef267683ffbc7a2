package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link AwxAutomationRunner} needs to reach AWX: where it is, how to authenticate, which job templates
 * and inventory to use, timeouts, TLS and retry limits. Immutable and thread-safe; made with {@link #builder()}.
 *
 * <p>{@link #toString()} never shows the token or the password.
 */
public final class AwxConfig {
    /** How long to wait for a TCP/TLS connection to AWX. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for AWX to answer (and to accept a request body). */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** How often an idempotent request (GET, cancel) is retried inside the runner after a transient failure. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** The first back-off between retries of an idempotent request; it doubles per retry. */
    public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofMillis(500);
    /** The longest back-off between retries of an idempotent request. */
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(5);
    /**
     * The longest {@code Retry-After} the runner waits for itself; a longer one is passed to the engine as
     * {@link com.dotmac.provisioning.spi.AutomationException#retryAfter()}.
     */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);
    /** How far before the first launch attempt {@code findLaunched} looks, for clock skew between us and AWX. */
    public static final Duration DEFAULT_FIND_LAUNCHED_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Runs polled per request ({@code id__in}); AWX caps {@code page_size} at 200. */
    public static final int DEFAULT_POLL_BATCH_SIZE = 200;
    /** The longest failure detail (failed task, host, message) reported for a run. */
    public static final int DEFAULT_MAX_DETAIL_LENGTH = 1000;
    /** The name of a customer-hosted tenant's AWX inventory is this prefix followed by the tenant's slug. */
    public static final String DEFAULT_INVENTORY_NAME_PREFIX = "tenant-";
    /** The inventory group the playbooks run against (the rendered inventory puts the tenant's host in it). */
    public static final String DEFAULT_TARGET_GROUP = "tenant_targets";
    /** What a survey variable name must be: an identifier, as Ansible variable names are. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** The contract variables the library derives itself; {@link #surveyVariables()} may name only the others. */
    private static final Set<String> DERIVED_VARIABLES = Set.of(PlaybookVariables.TENANT_ID,
            PlaybookVariables.TENANT_SLUG, PlaybookVariables.DEPLOYMENT_MODE, PlaybookVariables.OPERATION,
            PlaybookVariables.PROVISIONING_JOB_ID, PlaybookVariables.CONNECTION_PROFILE,
            PlaybookVariables.RELEASE_VERSION);

    private final String baseUrl;
    private final @Nullable String apiPath;
    private final AwxCredentials credentials;
    private final @Nullable Long organizationId;
    private final Map<Operation, Long> jobTemplates;
    private final Map<Operation, Map<DeploymentMode, Long>> jobTemplateOverrides;
    private final @Nullable Long dotmacHostedInventoryId;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final @Nullable SSLSocketFactory sslSocketFactory;
    private final @Nullable X509TrustManager trustManager;
    private final boolean insecureSkipTlsVerify;
    private final int maxRetries;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final Duration maxRetryAfter;
    private final Duration findLaunchedClockSkew;
    private final int pollBatchSize;
    private final int maxDetailLength;
    private final String inventoryNamePrefix;
    private final String targetGroup;
    private final Set<String> surveyVariables;
    private final @Nullable OkHttpClient httpClient;
    private final AwxRequestListener requestListener;

    private AwxConfig(Builder b) {
        this.baseUrl = normaliseBaseUrl(b.baseUrl);
        this.apiPath = normaliseApiPath(b.apiPath);
        this.credentials = require(b.credentials, "credentials (token, or username and password)");
        this.organizationId = positiveOrNull(b.organizationId, "organizationId");
        this.jobTemplates = Collections.unmodifiableMap(new EnumMap<>(b.jobTemplates));
        Map<Operation, Map<DeploymentMode, Long>> overrides = new EnumMap<>(Operation.class);
        b.jobTemplateOverrides.forEach((op, byMode) ->
                overrides.put(op, Collections.unmodifiableMap(new EnumMap<>(byMode))));
        this.jobTemplateOverrides = Collections.unmodifiableMap(overrides);
        this.dotmacHostedInventoryId = positiveOrNull(b.dotmacHostedInventoryId, "dotmacHostedInventoryId");
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.readTimeout = positive(b.readTimeout, "readTimeout");
        if ((b.sslSocketFactory == null) != (b.trustManager == null)) {
            throw new IllegalArgumentException("trustMaterial needs both an SSLSocketFactory and its X509TrustManager");
        }
        if (b.insecureSkipTlsVerify && b.sslSocketFactory != null) {
            throw new IllegalArgumentException(
                    "insecureSkipTlsVerify and trustMaterial exclude each other: trust the AWX certificate instead");
        }
        this.sslSocketFactory = b.sslSocketFactory;
        this.trustManager = b.trustManager;
        this.insecureSkipTlsVerify = b.insecureSkipTlsVerify;
        if (b.maxRetries < 0 || b.maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be between 0 and 10, was " + b.maxRetries);
        }
        this.maxRetries = b.maxRetries;
        this.retryInitialDelay = positive(b.retryInitialDelay, "retryInitialDelay");
        this.retryMaxDelay = positive(b.retryMaxDelay, "retryMaxDelay");
        if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new IllegalArgumentException("retryMaxDelay must not be shorter than retryInitialDelay");
        }
        this.maxRetryAfter = notNegative(b.maxRetryAfter, "maxRetryAfter");
        this.findLaunchedClockSkew = notNegative(b.findLaunchedClockSkew, "findLaunchedClockSkew");
        if (b.pollBatchSize < 1 || b.pollBatchSize > DEFAULT_POLL_BATCH_SIZE) {
            throw new IllegalArgumentException("pollBatchSize must be between 1 and " + DEFAULT_POLL_BATCH_SIZE
                    + " (AWX caps page_size at 200), was " + b.pollBatchSize);
        }
        this.pollBatchSize = b.pollBatchSize;
        if (b.maxDetailLength < 80) {
            throw new IllegalArgumentException("maxDetailLength must be at least 80, was " + b.maxDetailLength);
        }
        this.maxDetailLength = b.maxDetailLength;
        this.inventoryNamePrefix = checkName(b.inventoryNamePrefix, "inventoryNamePrefix", true);
        this.targetGroup = checkName(b.targetGroup, "targetGroup", false);
        this.surveyVariables = checkSurveyVariables(b.surveyVariables);
        this.httpClient = b.httpClient;
        this.requestListener = Objects.requireNonNull(b.requestListener, "requestListener");
    }

    /** @return a builder with the {@code DEFAULT_*} values; base URL and credentials are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the AWX (or AAP gateway) base URL, ending with {@code /}, e.g. {@code https://awx.example.com/} */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * @return the API path given explicitly (e.g. {@code /api/v2/} or {@code /api/controller/v2/}), or null when the
     *     runner discovers it with {@code GET /api/}
     */
    public @Nullable String apiPath() {
        return apiPath;
    }

    /** @return how the runner authenticates */
    public AwxCredentials credentials() {
        return credentials;
    }

    /** @return the AWX organization that customer-hosted tenants' inventories belong to, or null */
    public @Nullable Long organizationId() {
        return organizationId;
    }

    /** @return the job template per operation (all modes) */
    public Map<Operation, Long> jobTemplates() {
        return jobTemplates;
    }

    /** @return per-operation overrides of the job template for one deployment mode */
    public Map<Operation, Map<DeploymentMode, Long>> jobTemplateOverrides() {
        return jobTemplateOverrides;
    }

    /**
     * @param operation the job's operation
     * @param mode the job's deployment mode
     * @return the job template configured for them (the mode's override first), or null when none is
     */
    public @Nullable Long jobTemplateFor(Operation operation, DeploymentMode mode) {
        Map<DeploymentMode, Long> byMode = jobTemplateOverrides.get(operation);
        Long override = byMode == null ? null : byMode.get(mode);
        return override != null ? override : jobTemplates.get(operation);
    }

    /** @return the inventory launched with for {@code dotmac_hosted} jobs, or null to use the template's own */
    public @Nullable Long dotmacHostedInventoryId() {
        return dotmacHostedInventoryId;
    }

    /** @return the connect timeout */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the read (and write) timeout */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return the socket factory trusting the AWX certificate, or null for the JVM's default trust */
    public @Nullable SSLSocketFactory sslSocketFactory() {
        return sslSocketFactory;
    }

    /** @return the trust manager matching {@link #sslSocketFactory()}, or null */
    public @Nullable X509TrustManager trustManager() {
        return trustManager;
    }

    /** @return whether TLS certificates and host names are NOT verified (insecure; logged as a warning) */
    public boolean insecureSkipTlsVerify() {
        return insecureSkipTlsVerify;
    }

    /** @return how often an idempotent request is retried inside the runner */
    public int maxRetries() {
        return maxRetries;
    }

    /** @return the first back-off between retries */
    public Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    /** @return the longest back-off between retries */
    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    /** @return the longest {@code Retry-After} the runner waits for itself */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** @return how far before the first launch attempt {@code findLaunched} looks */
    public Duration findLaunchedClockSkew() {
        return findLaunchedClockSkew;
    }

    /** @return runs polled per request */
    public int pollBatchSize() {
        return pollBatchSize;
    }

    /** @return the longest failure detail */
    public int maxDetailLength() {
        return maxDetailLength;
    }

    /** @return the prefix of customer-hosted inventories' names */
    public String inventoryNamePrefix() {
        return inventoryNamePrefix;
    }

    /** @return the inventory group holding a customer-hosted tenant's host */
    public String targetGroup() {
        return targetGroup;
    }

    /**
     * The variables, beyond the contract ones the library always sends ({@code tenant_id}, {@code tenant_slug},
     * {@code deployment_mode}, {@code operation}, {@code provisioning_job_id}, and {@code release_version} on
     * upgrades), that a job template guarded by its survey ({@code survey_enabled} on,
     * {@code ask_variables_on_launch} off) must list: the host's declared request variables and, with callbacks on,
     * {@code platform_callback_url} and {@code platform_callback_token}. The preflight compares each guarded
     * template's survey with them.
     *
     * @return the names, sorted; empty by default
     */
    public Set<String> surveyVariables() {
        return surveyVariables;
    }

    /** @return who hears every request to AWX ({@link AwxRequestListener#NONE} by default) */
    public AwxRequestListener requestListener() {
        return requestListener;
    }

    /** @return the caller's client the runner derives its own from ({@code newBuilder()}), or null */
    public @Nullable OkHttpClient httpClient() {
        return httpClient;
    }

    /** @return the settings, without the token or password */
    @Override
    public String toString() {
        return "AwxConfig[baseUrl=" + baseUrl + ", apiPath=" + (apiPath == null ? "discovered" : apiPath)
                + ", credentials=" + credentials + ", organizationId=" + organizationId + ", jobTemplates="
                + jobTemplates + ", jobTemplateOverrides=" + jobTemplateOverrides + ", dotmacHostedInventoryId="
                + dotmacHostedInventoryId + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", tls=" + (insecureSkipTlsVerify ? "NOT VERIFIED" : sslSocketFactory != null ? "custom trust"
                        : "default trust") + ", maxRetries=" + maxRetries + ", pollBatchSize=" + pollBatchSize
                + ", surveyVariables=" + surveyVariables + "]";
    }

    private static String normaliseBaseUrl(@Nullable String raw) {
        String value = require(raw, "baseUrl").trim();
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "baseUrl is not a URL: " + String.valueOf(e.getMessage()).replace(value, "<baseUrl>"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL such as https://awx.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "baseUrl must not carry credentials; set the token, or username and password, instead");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must have a host and no query or fragment");
        }
        return value.endsWith("/") ? value : value + "/";
    }

    private static @Nullable String normaliseApiPath(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        if (!value.startsWith("/") || value.contains("?") || value.contains("#") || value.contains("..")) {
            throw new IllegalArgumentException("apiPath must be an absolute path such as /api/v2/ or "
                    + "/api/controller/v2/");
        }
        return value.endsWith("/") ? value : value + "/";
    }

    private static String checkName(String value, String field, boolean allowTrailingDash) {
        Objects.requireNonNull(value, field);
        String pattern = allowTrailingDash ? "[A-Za-z0-9_.-]{0,64}" : "[A-Za-z_][A-Za-z0-9_]{0,63}";
        if (!value.matches(pattern)) {
            throw new IllegalArgumentException(field + " must match " + pattern);
        }
        return value;
    }

    private static Set<String> checkSurveyVariables(Collection<String> names) {
        Set<String> checked = new TreeSet<>();
        for (String name : names) {
            if (name == null || !VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("surveyVariables must be variable names (identifiers such as plan),"
                        + " was " + (name == null ? "null" : "'" + bounded(name) + "'"));
            }
            if (DERIVED_VARIABLES.contains(name)) {
                throw new IllegalArgumentException("surveyVariables must not name " + name + ": the library sends it"
                        + " itself and the preflight expects it on its own; name only the declared request variables"
                        + " and, with callbacks on, platform_callback_url and platform_callback_token");
            }
            checked.add(name);
        }
        return Collections.unmodifiableSet(checked);
    }

    private static String bounded(String text) {
        return text.length() <= 64 ? text : text.substring(0, 63) + "…";
    }

    private static <T> T require(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    private static @Nullable Long positiveOrNull(@Nullable Long value, String field) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(field + " must be a positive AWX id, was " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    private static Duration notNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    /** A mutable builder of {@link AwxConfig}; not thread-safe. */
    public static final class Builder {
        private @Nullable String baseUrl;
        private @Nullable String apiPath;
        private @Nullable AwxCredentials credentials;
        private @Nullable Long organizationId;
        private final Map<Operation, Long> jobTemplates = new EnumMap<>(Operation.class);
        private final Map<Operation, Map<DeploymentMode, Long>> jobTemplateOverrides = new EnumMap<>(Operation.class);
        private @Nullable Long dotmacHostedInventoryId;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private @Nullable SSLSocketFactory sslSocketFactory;
        private @Nullable X509TrustManager trustManager;
        private boolean insecureSkipTlsVerify;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryInitialDelay = DEFAULT_RETRY_INITIAL_DELAY;
        private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration findLaunchedClockSkew = DEFAULT_FIND_LAUNCHED_CLOCK_SKEW;
        private int pollBatchSize = DEFAULT_POLL_BATCH_SIZE;
        private int maxDetailLength = DEFAULT_MAX_DETAIL_LENGTH;
        private String inventoryNamePrefix = DEFAULT_INVENTORY_NAME_PREFIX;
        private String targetGroup = DEFAULT_TARGET_GROUP;
        private Collection<String> surveyVariables = Set.of();
        private @Nullable OkHttpClient httpClient;
        private AwxRequestListener requestListener = AwxRequestListener.NONE;

        private Builder() {
        }

        private Builder(AwxConfig c) {
            this.baseUrl = c.baseUrl;
            this.apiPath = c.apiPath;
            this.credentials = c.credentials;
            this.organizationId = c.organizationId;
            this.jobTemplates.putAll(c.jobTemplates);
            c.jobTemplateOverrides.forEach((op, byMode) -> this.jobTemplateOverrides.put(op, new EnumMap<>(byMode)));
            this.dotmacHostedInventoryId = c.dotmacHostedInventoryId;
            this.connectTimeout = c.connectTimeout;
            this.readTimeout = c.readTimeout;
            this.sslSocketFactory = c.sslSocketFactory;
            this.trustManager = c.trustManager;
            this.insecureSkipTlsVerify = c.insecureSkipTlsVerify;
            this.maxRetries = c.maxRetries;
            this.retryInitialDelay = c.retryInitialDelay;
            this.retryMaxDelay = c.retryMaxDelay;
            this.maxRetryAfter = c.maxRetryAfter;
            this.findLaunchedClockSkew = c.findLaunchedClockSkew;
            this.pollBatchSize = c.pollBatchSize;
            this.maxDetailLength = c.maxDetailLength;
            this.inventoryNamePrefix = c.inventoryNamePrefix;
            this.targetGroup = c.targetGroup;
            this.surveyVariables = c.surveyVariables;
            this.httpClient = c.httpClient;
            this.requestListener = c.requestListener;
        }

        /** @param v the AWX (or AAP gateway) base URL, e.g. {@code https://awx.example.com} (required) @return this */
        public Builder baseUrl(String v) {
            this.baseUrl = v;
            return this;
        }

        /** @param v the API path ({@code /api/v2/}); null or blank to discover it with {@code GET /api/} @return this */
        public Builder apiPath(@Nullable String v) {
            this.apiPath = v;
            return this;
        }

        /** @param v how to authenticate (required) @return this */
        public Builder credentials(AwxCredentials v) {
            this.credentials = Objects.requireNonNull(v, "credentials");
            return this;
        }

        /** @param token a Bearer token (see {@link AwxCredentials#bearerToken}) @return this */
        public Builder token(String token) {
            return credentials(AwxCredentials.bearerToken(token));
        }

        /** @param username the user @param password the password (see {@link AwxCredentials#basic}) @return this */
        public Builder basicAuth(String username, String password) {
            return credentials(AwxCredentials.basic(username, password));
        }

        /** @param v the organization of customer-hosted inventories (required for customer_hosted) @return this */
        public Builder organizationId(@Nullable Long v) {
            this.organizationId = v;
            return this;
        }

        /**
         * @param operation an operation
         * @param templateId the job template that runs it
         * @return this
         */
        public Builder jobTemplate(Operation operation, long templateId) {
            jobTemplates.put(Objects.requireNonNull(operation, "operation"), checkId(templateId, "jobTemplate"));
            return this;
        }

        /**
         * Overrides the job template of an operation for one deployment mode.
         *
         * @param operation an operation
         * @param mode the deployment mode the override applies to
         * @param templateId the job template that runs it in that mode
         * @return this
         */
        public Builder jobTemplate(Operation operation, DeploymentMode mode, long templateId) {
            jobTemplateOverrides.computeIfAbsent(Objects.requireNonNull(operation, "operation"),
                    k -> new EnumMap<>(DeploymentMode.class))
                    .put(Objects.requireNonNull(mode, "mode"), checkId(templateId, "jobTemplate"));
            return this;
        }

        /** @param v the inventory for dotmac_hosted jobs, or null for the template's own @return this */
        public Builder dotmacHostedInventoryId(@Nullable Long v) {
            this.dotmacHostedInventoryId = v;
            return this;
        }

        /** @param v the connect timeout (default {@link #DEFAULT_CONNECT_TIMEOUT}) @return this */
        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        /** @param v the read and write timeout (default {@link #DEFAULT_READ_TIMEOUT}) @return this */
        public Builder readTimeout(Duration v) {
            this.readTimeout = v;
            return this;
        }

        /**
         * Trusts the given material instead of the JVM's default trust store (e.g. an internal CA).
         *
         * @param socketFactory a socket factory whose context uses {@code trustManager}
         * @param trustManager the trust manager
         * @return this
         */
        public Builder trustMaterial(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
            this.sslSocketFactory = Objects.requireNonNull(socketFactory, "socketFactory");
            this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
            return this;
        }

        /**
         * Turns TLS certificate and host name verification OFF. Insecure (anyone on the path can read the token);
         * the runner logs a warning. Only for test installations.
         *
         * @param v whether to skip verification (default false)
         * @return this
         */
        public Builder insecureSkipTlsVerify(boolean v) {
            this.insecureSkipTlsVerify = v;
            return this;
        }

        /** @param v retries of idempotent requests inside the runner, 0-10 (default {@link #DEFAULT_MAX_RETRIES}) @return this */
        public Builder maxRetries(int v) {
            this.maxRetries = v;
            return this;
        }

        /** @param initial the first back-off @param max the longest back-off @return this */
        public Builder retryDelays(Duration initial, Duration max) {
            this.retryInitialDelay = initial;
            this.retryMaxDelay = max;
            return this;
        }

        /** @param v the longest {@code Retry-After} waited for inside the runner @return this */
        public Builder maxRetryAfter(Duration v) {
            this.maxRetryAfter = v;
            return this;
        }

        /** @param v how far before the first launch attempt {@code findLaunched} looks @return this */
        public Builder findLaunchedClockSkew(Duration v) {
            this.findLaunchedClockSkew = v;
            return this;
        }

        /** @param v runs per poll request, 1-200 (default {@link #DEFAULT_POLL_BATCH_SIZE}) @return this */
        public Builder pollBatchSize(int v) {
            this.pollBatchSize = v;
            return this;
        }

        /** @param v the longest failure detail, at least 80 characters @return this */
        public Builder maxDetailLength(int v) {
            this.maxDetailLength = v;
            return this;
        }

        /** @param v the prefix of customer-hosted inventories' names (default {@code tenant-}) @return this */
        public Builder inventoryNamePrefix(String v) {
            this.inventoryNamePrefix = v;
            return this;
        }

        /** @param v the inventory group of a customer-hosted tenant's host (default {@code tenant_targets}) @return this */
        public Builder targetGroup(String v) {
            this.targetGroup = v;
            return this;
        }

        /**
         * Names the variables a survey-guarded job template must list beyond the contract ones (see
         * {@link AwxConfig#surveyVariables()}): the declared request variables' names and, with callbacks on,
         * {@code platform_callback_url} and {@code platform_callback_token}. Replaces earlier names.
         *
         * @param names identifiers; not the contract variables the library derives ({@code tenant_id}, ...,
         *     {@code release_version}, {@code connection_profile})
         * @return this
         */
        public Builder surveyVariables(Collection<String> names) {
            this.surveyVariables = new ArrayList<>(Objects.requireNonNull(names, "surveyVariables"));
            return this;
        }

        /** @param v hears every request to AWX, e.g. for metrics @return this */
        public Builder requestListener(AwxRequestListener v) {
            this.requestListener = Objects.requireNonNull(v, "requestListener");
            return this;
        }

        /**
         * @param v the application's shared client; the runner derives its own with {@code newBuilder()} (sharing
         *     its connection pool and dispatcher) and sets timeouts, TLS and redirects on the derived one
         * @return this
         */
        public Builder httpClient(@Nullable OkHttpClient v) {
            this.httpClient = v;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the first missing or bad setting
         */
        public AwxConfig build() {
            return new AwxConfig(this);
        }

        private static long checkId(long id, String field) {
            if (id <= 0) {
                throw new IllegalArgumentException(field + " must be a positive AWX id, was " + id);
            }
            return id;
        }
    }
}
