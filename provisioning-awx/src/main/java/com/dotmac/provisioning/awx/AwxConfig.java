package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link AwxAutomationRunner} needs to reach AWX: where it is, how to authenticate, which job templates
 * and inventory to use, timeouts, TLS and retry limits. Immutable and thread-safe; made with {@link #builder()}, which
 * starts from the {@code DEFAULT_*} values (the canonical constructor checks and normalises what it is given as
 * {@link Builder#build()} does).
 *
 * <p>{@link #toString()} never shows the token or the password.
 *
 * @param baseUrl the AWX (or AAP gateway) base URL, ending with {@code /}, e.g. {@code https://awx.example.com/}
 * @param apiPath the API path given explicitly (e.g. {@code /api/v2/} or {@code /api/controller/v2/}), or null when
 *     the runner discovers it with {@code GET /api/}
 * @param credentials how the runner authenticates
 * @param organizationId the AWX organization that customer-hosted tenants' inventories belong to, or null
 * @param jobTemplates the job template per operation (all modes)
 * @param jobTemplateOverrides per-operation overrides of the job template for one deployment mode
 * @param dotmacHostedInventoryId the inventory launched with for {@code dotmac_hosted} jobs, or null to use the
 *     template's own
 * @param connectTimeout the connect timeout
 * @param readTimeout the read (and write) timeout
 * @param launchSettleTime the longest time AWX (and the proxies before it) may still be processing a launch request
 *     after the runner sent it: after a launch whose answer was lost, the engine looks for its run and launches
 *     again only once this has passed ({@link AwxAutomationRunner#launchSettleTime()}); twice the read timeout by
 *     default
 * @param sslSocketFactory the socket factory trusting the AWX certificate, or null for the JVM's default trust
 * @param trustManager the trust manager matching {@code sslSocketFactory}, or null
 * @param insecureSkipTlsVerify whether TLS certificates and host names are NOT verified (insecure; logged as a
 *     warning)
 * @param maxRetries how often an idempotent request is retried inside the runner
 * @param retryBackoff the back-off between retries: first and longest delay, multiplier, jitter
 * @param maxRetryAfter the longest {@code Retry-After} the runner waits for itself
 * @param findLaunchedClockSkew how far before the first launch attempt the search for a job's runs looks
 * @param pollBatchSize runs polled per request
 * @param maxDetailLength the longest failure detail
 * @param inventoryNamePrefix the prefix of customer-hosted inventories' names
 * @param targetGroup the inventory group holding a customer-hosted tenant's host
 * @param surveyVariables the variables a survey-guarded job template must list beyond the contract ones (see
 *     {@link Builder#surveyVariables}); the preflight compares each guarded template's survey with them (sorted;
 *     empty by default)
 * @param httpClient the caller's client the runner derives its own from ({@code newBuilder()}), or null
 * @param requestListener who hears every request to AWX ({@link AwxRequestListener#NONE} by default)
 */
public record AwxConfig(
        String baseUrl,
        @Nullable String apiPath,
        AwxCredentials credentials,
        @Nullable Long organizationId,
        Map<Operation, Long> jobTemplates,
        Map<Operation, Map<DeploymentMode, Long>> jobTemplateOverrides,
        @Nullable Long dotmacHostedInventoryId,
        Duration connectTimeout,
        Duration readTimeout,
        Duration launchSettleTime,
        @Nullable SSLSocketFactory sslSocketFactory,
        @Nullable X509TrustManager trustManager,
        boolean insecureSkipTlsVerify,
        int maxRetries,
        Backoff retryBackoff,
        Duration maxRetryAfter,
        Duration findLaunchedClockSkew,
        int pollBatchSize,
        int maxDetailLength,
        String inventoryNamePrefix,
        String targetGroup,
        Set<String> surveyVariables,
        @Nullable OkHttpClient httpClient,
        AwxRequestListener requestListener) {
    /** How long to wait for a TCP/TLS connection to AWX. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for AWX to answer (and to accept a request body). */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The default launch settle time is this many read timeouts: a request sent, and an answer read. */
    public static final int DEFAULT_LAUNCH_SETTLE_READ_TIMEOUTS = 2;
    /** How often an idempotent request (GET, cancel) is retried inside the runner after a transient failure. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** The first back-off between retries of an idempotent request; it doubles per retry. */
    public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofMillis(500);
    /** The longest back-off between retries of an idempotent request. */
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(5);
    /** How much the back-off grows per retry: it doubles. */
    public static final double DEFAULT_RETRY_MULTIPLIER = Backoff.DEFAULT_MULTIPLIER;
    /** The random fraction of each back-off: none, the retries of one request are few and short. */
    public static final double DEFAULT_RETRY_JITTER = 0.0;
    /**
     * The longest {@code Retry-After} the runner waits for itself; a longer one is passed to the engine as
     * {@link com.dotmac.provisioning.spi.AutomationException#retryAfter()}.
     */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);
    /** How far before the first launch attempt {@code findRuns} looks, for clock skew between us and AWX. */
    public static final Duration DEFAULT_FIND_LAUNCHED_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Runs polled per request ({@code id__in}); AWX caps {@code page_size} at 200. */
    public static final int DEFAULT_POLL_BATCH_SIZE = 200;
    /** The longest failure detail (failed task, host, message) reported for a run. */
    public static final int DEFAULT_MAX_DETAIL_LENGTH = 1000;
    /** The name of a customer-hosted tenant's AWX inventory is this prefix followed by the tenant's slug. */
    public static final String DEFAULT_INVENTORY_NAME_PREFIX = "tenant-";
    /** The inventory group the playbooks run against (the rendered inventory puts the tenant's host in it). */
    public static final String DEFAULT_TARGET_GROUP = "tenant_targets";

    /**
     * Checks and normalises the settings.
     *
     * @throws IllegalArgumentException naming the first missing or bad setting
     */
    public AwxConfig {
        baseUrl = AwxConfigChecks.normaliseBaseUrl(baseUrl);
        apiPath = AwxConfigChecks.normaliseApiPath(apiPath);
        credentials = AwxConfigChecks.require(credentials, "credentials (token, or username and password)");
        organizationId = AwxConfigChecks.positiveOrNull(organizationId, "organizationId");
        jobTemplates = AwxConfigChecks.templates(jobTemplates);
        jobTemplateOverrides = AwxConfigChecks.overrides(jobTemplateOverrides);
        dotmacHostedInventoryId = AwxConfigChecks.positiveOrNull(dotmacHostedInventoryId, "dotmacHostedInventoryId");
        connectTimeout = AwxConfigChecks.positive(connectTimeout, "connectTimeout");
        readTimeout = AwxConfigChecks.positive(readTimeout, "readTimeout");
        launchSettleTime = AwxConfigChecks.notNegative(launchSettleTime, "launchSettleTime");
        AwxConfigChecks.checkTrust(sslSocketFactory, trustManager, insecureSkipTlsVerify);
        AwxConfigChecks.checkMaxRetries(maxRetries);
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        maxRetryAfter = AwxConfigChecks.notNegative(maxRetryAfter, "maxRetryAfter");
        findLaunchedClockSkew = AwxConfigChecks.notNegative(findLaunchedClockSkew, "findLaunchedClockSkew");
        AwxConfigChecks.checkPollBatchSize(pollBatchSize);
        AwxConfigChecks.checkMaxDetailLength(maxDetailLength);
        inventoryNamePrefix = AwxConfigChecks.checkName(inventoryNamePrefix, "inventoryNamePrefix", true);
        targetGroup = AwxConfigChecks.checkName(targetGroup, "targetGroup", false);
        surveyVariables = AwxConfigChecks.checkSurveyVariables(surveyVariables);
        Objects.requireNonNull(requestListener, "requestListener");
    }

    /** @return a builder with the {@code DEFAULT_*} values; base URL and credentials are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        return new Builder(this);
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

    /** @return the first back-off between retries */
    public Duration retryInitialDelay() {
        return retryBackoff.initialDelay();
    }

    /** @return the longest back-off between retries */
    public Duration retryMaxDelay() {
        return retryBackoff.maxDelay();
    }

    /** @return the settings, without the token or password */
    @Override
    public String toString() {
        return "AwxConfig[baseUrl=" + baseUrl + ", apiPath=" + (apiPath == null ? "discovered" : apiPath)
                + ", credentials=" + credentials + ", organizationId=" + organizationId + ", jobTemplates="
                + jobTemplates + ", jobTemplateOverrides=" + jobTemplateOverrides + ", dotmacHostedInventoryId="
                + dotmacHostedInventoryId + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", launchSettleTime=" + launchSettleTime
                + ", tls=" + (insecureSkipTlsVerify ? "NOT VERIFIED" : sslSocketFactory != null ? "custom trust"
                        : "default trust") + ", maxRetries=" + maxRetries + ", pollBatchSize=" + pollBatchSize
                + ", surveyVariables=" + surveyVariables + "]";
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
        private @Nullable Duration launchSettleTime;
        private @Nullable SSLSocketFactory sslSocketFactory;
        private @Nullable X509TrustManager trustManager;
        private boolean insecureSkipTlsVerify;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryInitialDelay = DEFAULT_RETRY_INITIAL_DELAY;
        private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
        private double retryMultiplier = DEFAULT_RETRY_MULTIPLIER;
        private double retryJitter = DEFAULT_RETRY_JITTER;
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
            // a settle time that followed the read timeout keeps following it
            this.launchSettleTime = c.launchSettleTime.equals(
                    c.readTimeout.multipliedBy(DEFAULT_LAUNCH_SETTLE_READ_TIMEOUTS)) ? null : c.launchSettleTime;
            this.sslSocketFactory = c.sslSocketFactory;
            this.trustManager = c.trustManager;
            this.insecureSkipTlsVerify = c.insecureSkipTlsVerify;
            this.maxRetries = c.maxRetries;
            retryBackoff(c.retryBackoff);
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
            jobTemplates.put(Objects.requireNonNull(operation, "operation"), AwxConfigChecks.positiveId(templateId, "jobTemplate"));
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
                    .put(Objects.requireNonNull(mode, "mode"), AwxConfigChecks.positiveId(templateId, "jobTemplate"));
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
         * @param v the longest time AWX may still be processing a launch request after it was sent (proxy and
         *     application-server timeouts included); after a launch whose answer was lost the engine waits for it
         *     before looking for the run and launching again (default: {@link #DEFAULT_LAUNCH_SETTLE_READ_TIMEOUTS}
         *     times the read timeout; zero turns the wait off)
         * @return this
         */
        public Builder launchSettleTime(Duration v) {
            this.launchSettleTime = v;
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

        /**
         * @param v the back-off between retries: its first and longest delay (as {@link #retryDelays}), multiplier
         *     (default {@link #DEFAULT_RETRY_MULTIPLIER}) and jitter (default {@link #DEFAULT_RETRY_JITTER})
         * @return this
         */
        public Builder retryBackoff(Backoff v) {
            retryDelays(v.initialDelay(), v.maxDelay());
            this.retryMultiplier = v.multiplier();
            this.retryJitter = v.jitter();
            return this;
        }

        /** @param v the longest {@code Retry-After} waited for inside the runner @return this */
        public Builder maxRetryAfter(Duration v) {
            this.maxRetryAfter = v;
            return this;
        }

        /** @param v how far before the first launch attempt {@code findRuns} looks @return this */
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
            String url = AwxConfigChecks.require(baseUrl, "baseUrl");
            AwxCredentials auth = AwxConfigChecks.require(credentials, "credentials (token, or username and password)");
            Backoff backoff = Backoff.ofSettings("retry", retryInitialDelay, retryMaxDelay, retryMultiplier,
                    retryJitter);
            return new AwxConfig(url, apiPath, auth, organizationId, jobTemplates, jobTemplateOverrides,
                    dotmacHostedInventoryId, connectTimeout, readTimeout, launchSettleTime != null ? launchSettleTime
                            : AwxConfigChecks.positive(readTimeout, "readTimeout").multipliedBy(
                                    DEFAULT_LAUNCH_SETTLE_READ_TIMEOUTS), sslSocketFactory, trustManager,
                    insecureSkipTlsVerify, maxRetries, backoff, maxRetryAfter, findLaunchedClockSkew, pollBatchSize,
                    maxDetailLength, inventoryNamePrefix, targetGroup, new LinkedHashSet<>(surveyVariables),
                    httpClient, requestListener);
        }
    }
}
