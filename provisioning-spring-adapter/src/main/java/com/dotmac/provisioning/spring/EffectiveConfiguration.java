package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.spi.JobRepository;
import java.time.Duration;
import java.util.Map;

/**
 * What a started provisioner runs with, as the one INFO line {@link ProvisioningLifecycle} logs at start-up: the
 * kinds of runner and repository, the database dialect, the engine's intervals and timeouts, whether callbacks are
 * on, the cap on runs in flight and retention. It never carries a secret, a URL or a credential: only kinds,
 * durations and numbers.
 *
 * @param nodeId this node's name in leases
 * @param runner {@code awx}, {@code ansible}, {@code scripted}, or the class name of a host's runner
 * @param repository {@code jdbc}, {@code in-memory}, or the class name of a host's repository
 * @param dialect the JDBC repository's dialect, or {@code none}
 * @param settings the engine settings in effect
 * @param callback whether callbacks are configured
 */
record EffectiveConfiguration(String nodeId, String runner, String repository, String dialect,
        EngineSettings settings, boolean callback) {
    private static final Map<String, String> RUNNERS = Map.of(
            "com.dotmac.provisioning.awx.AwxAutomationRunner", "awx",
            "com.dotmac.provisioning.ansible.AnsiblePlaybookRunner", "ansible",
            "com.dotmac.provisioning.scripted.ScriptedAutomationRunner", "scripted");
    private static final String JDBC_REPOSITORY = "com.dotmac.provisioning.jdbc.JdbcJobRepository";
    private static final String MEMORY_REPOSITORY = "com.dotmac.provisioning.memory.InMemoryJobRepository";

    /**
     * @param provisioner a built provisioner (what its customizers set included)
     * @return its configuration
     */
    static EffectiveConfiguration of(TenantProvisioner provisioner) {
        String runnerClass = provisioner.runner().getClass().getName();
        JobRepository repository = provisioner.repository();
        String repositoryClass = repository.getClass().getName();
        String repositoryKind = switch (repositoryClass) {
            case JDBC_REPOSITORY -> "jdbc";
            case MEMORY_REPOSITORY -> "in-memory";
            default -> repository.getClass().getSimpleName();
        };
        String dialect = JDBC_REPOSITORY.equals(repositoryClass) ? Jdbc.dialect(repository) : "none";
        return new EffectiveConfiguration(provisioner.settings().nodeId(),
                RUNNERS.getOrDefault(runnerClass, provisioner.runner().getClass().getSimpleName()), repositoryKind,
                dialect, provisioner.settings(), callbacksOn(provisioner));
    }

    /** @return the line to log, e.g. {@code tenant provisioning started on node n1: runner=awx, ...} */
    String logLine() {
        int cap = settings.maxConcurrentRuns();
        return "tenant provisioning started on node " + nodeId + ": runner=" + runner + ", repository=" + repository
                + ", dialect=" + dialect + ", poll=" + format(settings.pollInterval()) + ", sweep="
                + format(settings.sweepInterval()) + ", job-timeout=" + format(settings.jobTimeout())
                + ", pending-timeout=" + format(settings.pendingTimeout()) + ", lease="
                + format(settings.leaseDuration()) + ", callback=" + (callback ? "on" : "off")
                + ", max-concurrent-runs=" + (cap == 0 ? "0 (no cap)" : String.valueOf(cap)) + ", retention="
                + (settings.retention().isOn() ? format(settings.retention().finishedJobsKeptFor()) : "off");
    }

    /** @return e.g. {@code 250ms}, {@code 15s}, {@code 30m}, {@code 2h}, {@code 90d}: the largest exact unit */
    static String format(Duration d) {
        long millis = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis != 0 && millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }

    /** Callbacks are on when the provisioner can sign a job token (it says so by refusing otherwise). */
    private static boolean callbacksOn(TenantProvisioner provisioner) {
        try {
            provisioner.callbackToken("start-up-check");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Loaded only when the repository is a {@link JdbcJobRepository}, so provisioning-jdbc stays optional. */
    private static final class Jdbc {
        static String dialect(JobRepository repository) {
            return ((JdbcJobRepository) repository).dialect().name();
        }
    }
}
