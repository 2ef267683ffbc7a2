package com.dotmac.provisioning.console;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator console's settings ({@code provisioning.console.*}). Mutable while Spring binds it; read-only after.
 */
@ConfigurationProperties(prefix = "provisioning.console")
public class ConsoleProperties {
    /** The default base path: {@value}. */
    public static final String DEFAULT_BASE_PATH = "/provisioning-console";

    /** Whether the console is served (off unless set to true). */
    private boolean enabled;
    /** The path under which the console's pages and assets are served. */
    private String basePath = DEFAULT_BASE_PATH;
    /**
     * The AWX web UI's base URL (e.g. https://awx.example.com): a job's AWX run is linked to
     * {@code <url>/#/jobs/playbook/<run id>/output}. Unset: the run id is shown without a link.
     */
    private @Nullable String awxUiUrl;
    /** How often the job and rollout pages poll their live part when they cannot follow its event stream. */
    private Duration refreshInterval = Duration.ofSeconds(2);
    /** Jobs per page in the lists (1-100). */
    private int pageSize = 25;

    /** @return whether the console is served */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the console is served */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the base path, e.g. {@code /provisioning-console} */
    public String getBasePath() {
        return basePath;
    }

    /** @param basePath the base path, starting with a slash */
    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    /** @return the AWX UI's base URL, or null */
    public @Nullable String getAwxUiUrl() {
        return awxUiUrl;
    }

    /** @param awxUiUrl the AWX UI's base URL, or null */
    public void setAwxUiUrl(@Nullable String awxUiUrl) {
        this.awxUiUrl = awxUiUrl;
    }

    /** @return the live refresh interval */
    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    /** @param refreshInterval the live refresh interval */
    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    /** @return jobs per page */
    public int getPageSize() {
        return pageSize;
    }

    /** @param pageSize jobs per page, 1-100 */
    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }
}
