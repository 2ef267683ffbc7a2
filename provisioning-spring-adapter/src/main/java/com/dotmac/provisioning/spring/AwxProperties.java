package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.awx.AwxConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * AWX / Ansible Automation Platform settings, bound under {@code provisioning.awx} as part of
 * {@link ProvisioningProperties}. Like every properties class here it may use only compile-time constants of the
 * optional AWX module (javac copies them in), never its objects. Not thread-safe: bound once at start-up.
 */
public class AwxProperties {
    /** Base URL of AWX or of the AAP gateway, e.g. https://awx.example.com. Setting it enables the AWX runner. */
    private @Nullable String baseUrl;

    /** API path; empty to discover it with GET /api/ (AWX: /api/v2/, AAP 2.5+: /api/controller/v2/). */
    private @Nullable String apiPath;

    /** Personal access token (AAP 2.5+: a gateway token); sent as a Bearer token. Never logged. */
    private @Nullable String token;

    /** User for Basic authentication, when no token is set. */
    private @Nullable String username;

    /** Password for Basic authentication. Never logged. */
    private @Nullable String password;

    /** Organization that holds the inventories rendered for customer-hosted tenants. */
    private @Nullable Long organizationId;

    /** Whether the AWX TLS certificate is verified. Turn off only for a lab AWX; a warning is logged. */
    private boolean verifyTls = true;

    /** Connect timeout of AWX requests (AwxConfig.DEFAULT_CONNECT_TIMEOUT). */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** Read timeout of AWX requests (AwxConfig.DEFAULT_READ_TIMEOUT). */
    private Duration readTimeout = Duration.ofSeconds(30);

    /**
     * The longest time AWX (and the proxies before it) may still be processing a launch request: after a launch
     * whose answer was lost, the engine looks for its run and launches again only once this has passed since
     * (default: twice read-timeout; 0 turns the wait off).
     */
    private @Nullable Duration launchSettleTime;

    /** The first back-off between retries of an idempotent AWX request (AwxConfig.DEFAULT_RETRY_INITIAL_DELAY). */
    private Duration retryInitialDelay = Duration.ofMillis(500);

    /** The longest back-off between retries of an AWX request (AwxConfig.DEFAULT_RETRY_MAX_DELAY). */
    private Duration retryMaxDelay = Duration.ofSeconds(5);

    /** How much the AWX back-off grows per retry; at least 1. */
    private double retryMultiplier = AwxConfig.DEFAULT_RETRY_MULTIPLIER;

    /** The random fraction of each AWX back-off, 0-1. */
    private double retryJitter = AwxConfig.DEFAULT_RETRY_JITTER;

    /** Job template ids per operation. */
    private final JobTemplates jobTemplates = new JobTemplates();

    /** Inventory ids per deployment mode. */
    private final Inventories inventories = new Inventories();

    public @Nullable String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(@Nullable String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public @Nullable String getApiPath() {
        return apiPath;
    }

    public void setApiPath(@Nullable String apiPath) {
        this.apiPath = apiPath;
    }

    public @Nullable String getToken() {
        return token;
    }

    public void setToken(@Nullable String token) {
        this.token = token;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public @Nullable Long getOrganizationId() {
        return organizationId;
    }

    public void setOrganizationId(@Nullable Long organizationId) {
        this.organizationId = organizationId;
    }

    public boolean isVerifyTls() {
        return verifyTls;
    }

    public void setVerifyTls(boolean verifyTls) {
        this.verifyTls = verifyTls;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public @Nullable Duration getLaunchSettleTime() {
        return launchSettleTime;
    }

    public void setLaunchSettleTime(@Nullable Duration launchSettleTime) {
        this.launchSettleTime = launchSettleTime;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public double getRetryMultiplier() {
        return retryMultiplier;
    }

    public void setRetryMultiplier(double retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    public double getRetryJitter() {
        return retryJitter;
    }

    public void setRetryJitter(double retryJitter) {
        this.retryJitter = retryJitter;
    }

    public JobTemplates getJobTemplates() {
        return jobTemplates;
    }

    public Inventories getInventories() {
        return inventories;
    }

    @Override
    public String toString() {
        return "Awx[baseUrl=" + baseUrl + ", token=" + (token == null ? "none" : "****") + ", username="
                + username + ", password=" + (password == null ? "none" : "****") + "]";
    }

    /** AWX job template ids per operation. */
    public static class JobTemplates {
        /** Job template that runs provision_tenant.yml. */
        private @Nullable Long provision;

        /** Job template that runs upgrade_tenant.yml. */
        private @Nullable Long upgrade;

        /** Job template that runs decommission_tenant.yml. */
        private @Nullable Long decommission;

        public @Nullable Long getProvision() {
            return provision;
        }

        public void setProvision(@Nullable Long provision) {
            this.provision = provision;
        }

        public @Nullable Long getUpgrade() {
            return upgrade;
        }

        public void setUpgrade(@Nullable Long upgrade) {
            this.upgrade = upgrade;
        }

        public @Nullable Long getDecommission() {
            return decommission;
        }

        public void setDecommission(@Nullable Long decommission) {
            this.decommission = decommission;
        }
    }

    /** AWX inventories. */
    public static class Inventories {
        /** Inventory used for dotmac_hosted tenants (customer-hosted tenants get one rendered per tenant). */
        private @Nullable Long dotmacHosted;

        public @Nullable Long getDotmacHosted() {
            return dotmacHosted;
        }

        public void setDotmacHosted(@Nullable Long dotmacHosted) {
            this.dotmacHosted = dotmacHosted;
        }
    }
}
