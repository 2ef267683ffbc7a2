package com.dotmac.provisioning.spring.actuate;

import com.dotmac.provisioning.TenantDirectoryBacklog;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the provisioning library: the runner (AWX reachable and every configured template valid; the local
 * runner's ansible-playbook present), the job repository (database reachable), and the host's tenant directory as
 * this node saw it ({@link TenantProvisioner#tenantDirectoryBacklog()}). The runner's answer is cached for
 * {@link #DEFAULT_RUNNER_CACHE} so that frequent probes do not flood AWX.
 *
 * <p>The detail {@code tenant_directory} is {@code {waiting_jobs: n, oldest_since: <first refusal>}} (no
 * {@code oldest_since} when none waits). A directory that refuses a tenant status briefly leaves the health UP (the
 * engine retries with back-off); once it has refused one job's status for longer than the threshold
 * ({@link #DEFAULT_TENANT_DIRECTORY_DOWN_AFTER} unless the host sets {@code provisioning.health.tenant-directory-down-after})
 * the health is DOWN, with a {@code tenant_directory_problem} detail: tenants then show a stale status.
 *
 * <p>The job repository: {@code runs_in_flight} and {@code backlog} (jobs due now and not leased: what the engine
 * still has to catch up on, e.g. after an outage) while it answers; DOWN with
 * {@code repository: "unreachable: <exception class> (<cause class>)"} when it does not (no message: it may name a
 * host), and {@code repository_unavailable_since} when the engine has found it unavailable and backs off.
 *
 * <p>Thread-safe.
 */
public final class ProvisioningHealthIndicator implements HealthIndicator {
    /** How long a runner health answer is reused: 30 seconds. */
    public static final Duration DEFAULT_RUNNER_CACHE = Duration.ofSeconds(30);
    /** How long the tenant directory may refuse a job's tenant status before the health is DOWN: 30 minutes. */
    public static final Duration DEFAULT_TENANT_DIRECTORY_DOWN_AFTER = Duration.ofMinutes(30);

    private final TenantProvisioner provisioner;
    private final Clock clock;
    private final Duration runnerCache;
    private final Duration tenantDirectoryDownAfter;
    private volatile @Nullable RunnerHealth cached;
    private volatile Instant cachedAt = Instant.MIN;

    /**
     * A health with the default tenant-directory threshold ({@link #DEFAULT_TENANT_DIRECTORY_DOWN_AFTER}).
     *
     * @param provisioner the library
     * @param clock time of the cache and of the tenant directory's refusals (the engine's clock)
     * @param runnerCache how long to reuse the runner's answer
     */
    public ProvisioningHealthIndicator(TenantProvisioner provisioner, Clock clock, Duration runnerCache) {
        this(provisioner, clock, runnerCache, DEFAULT_TENANT_DIRECTORY_DOWN_AFTER);
    }

    /**
     * @param provisioner the library
     * @param clock time of the cache and of the tenant directory's refusals (the engine's clock)
     * @param runnerCache how long to reuse the runner's answer
     * @param tenantDirectoryDownAfter how long the tenant directory may refuse a job's status before the health is
     *     DOWN; positive
     * @throws IllegalArgumentException when {@code tenantDirectoryDownAfter} is not positive
     */
    public ProvisioningHealthIndicator(TenantProvisioner provisioner, Clock clock, Duration runnerCache,
            Duration tenantDirectoryDownAfter) {
        if (tenantDirectoryDownAfter.isNegative() || tenantDirectoryDownAfter.isZero()) {
            throw new IllegalArgumentException("tenantDirectoryDownAfter must be positive, was "
                    + tenantDirectoryDownAfter);
        }
        this.provisioner = provisioner;
        this.clock = clock;
        this.runnerCache = runnerCache;
        this.tenantDirectoryDownAfter = tenantDirectoryDownAfter;
    }

    @Override
    public Health health() {
        Health.Builder builder = Health.up();
        RunnerHealth runner = runnerHealth();
        builder.withDetail("runner", runner.summary());
        if (!runner.problems().isEmpty()) {
            builder.withDetail("runner_problems", runner.problems());
        }
        if (!runner.healthy()) {
            builder.down();
        }
        try {
            builder.withDetail("runs_in_flight", provisioner.repository().countRunsInFlight());
            builder.withDetail("repository", provisioner.repository().getClass().getSimpleName());
            backlog(builder);
        } catch (RuntimeException e) {
            builder.down().withDetail("repository", "unreachable: " + e.getClass().getSimpleName()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName() + ")"));
        }
        provisioner.repositoryUnavailableSince()
                .ifPresent(since -> builder.down().withDetail("repository_unavailable_since", since.toString()));
        builder.withDetail("engine", provisioner.isRunning() ? "running" : "stopped");
        tenantDirectory(builder);
        return builder.build();
    }

    /** The jobs due now and not leased, when the repository can count them. */
    private void backlog(Health.Builder builder) {
        try {
            builder.withDetail("backlog", provisioner.repository().countDue(clock.instant()));
        } catch (UnsupportedOperationException e) {
            // a repository of the host's that cannot count them: no detail
        }
    }

    private void tenantDirectory(Health.Builder builder) {
        TenantDirectoryBacklog backlog = provisioner.tenantDirectoryBacklog();
        Instant since = backlog.oldestSince();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("waiting_jobs", backlog.waitingJobs());
        if (since != null) {
            detail.put("oldest_since", since.toString());
        }
        builder.withDetail("tenant_directory", detail);
        Duration refusing = backlog.refusingFor(clock.instant());
        if (since != null && refusing.compareTo(tenantDirectoryDownAfter) > 0) {
            builder.down().withDetail("tenant_directory_problem", "the tenant directory has refused the tenant status"
                    + " of " + backlog.waitingJobs() + " job(s) since " + since + " (" + readable(refusing)
                    + ", longer than " + readable(tenantDirectoryDownAfter) + ")");
        }
    }

    /** @return e.g. {@code 35m} or {@code 1h5m20s} */
    private static String readable(Duration d) {
        return d.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private RunnerHealth runnerHealth() {
        RunnerHealth current = cached;
        Instant now = clock.instant();
        if (current != null && now.isBefore(cachedAt.plus(runnerCache))) {
            return current;
        }
        RunnerHealth fresh;
        try {
            fresh = provisioner.runner().health();
        } catch (RuntimeException e) {
            fresh = RunnerHealth.unhealthy("runner health check failed: " + e.getClass().getSimpleName(),
                    java.util.List.of(String.valueOf(e.getMessage())));
        }
        cached = fresh;
        cachedAt = now;
        return fresh;
    }
}
