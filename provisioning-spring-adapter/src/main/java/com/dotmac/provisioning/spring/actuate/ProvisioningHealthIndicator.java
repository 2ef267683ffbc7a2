package com.dotmac.provisioning.spring.actuate;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the provisioning library: the runner (AWX reachable and every configured template valid; the local
 * runner's ansible-playbook present) and the job repository (database reachable). The runner's answer is cached
 * for {@link #DEFAULT_RUNNER_CACHE} so that frequent probes do not flood AWX. Thread-safe.
 */
public final class ProvisioningHealthIndicator implements HealthIndicator {
    /** How long a runner health answer is reused: 30 seconds. */
    public static final Duration DEFAULT_RUNNER_CACHE = Duration.ofSeconds(30);

    private final TenantProvisioner provisioner;
    private final Clock clock;
    private final Duration runnerCache;
    private volatile @Nullable RunnerHealth cached;
    private volatile Instant cachedAt = Instant.MIN;

    /**
     * @param provisioner the library
     * @param clock time of the cache
     * @param runnerCache how long to reuse the runner's answer
     */
    public ProvisioningHealthIndicator(TenantProvisioner provisioner, Clock clock, Duration runnerCache) {
        this.provisioner = provisioner;
        this.clock = clock;
        this.runnerCache = runnerCache;
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
        } catch (RuntimeException e) {
            builder.down().withDetail("repository", "unreachable: " + e.getClass().getSimpleName());
        }
        builder.withDetail("engine", provisioner.isRunning() ? "running" : "stopped");
        return builder.build();
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
