package com.dotmac.provisioning;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The defaults {@link TenantProvisioner.Builder} fills in for what the host left out: a node id, an in-memory
 * repository, the back-off's random source; and the check that the required parts are there. Stateless and thread-safe.
 */
final class ProvisionerParts {
    private static final Logger log = LoggerFactory.getLogger(TenantProvisioner.class);

    /** The jitter source of the retry back-off when the host sets none. */
    static final DoubleSupplier RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private ProvisionerParts() {
    }

    /** @return the host name, the process id and a random part, at most 128 characters */
    static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        String pid = String.valueOf(ProcessHandle.current().pid());
        String id = host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() > 128 ? id.substring(0, 128) : id;
    }

    /**
     * @param runner the builder's runner, or null
     * @param tenantDirectory the builder's tenant directory, or null
     * @throws IllegalStateException naming what is missing
     */
    static void requireRunnerAndDirectory(@Nullable AutomationRunner runner, @Nullable TenantDirectory tenantDirectory) {
        if (runner == null) {
            throw new IllegalStateException("TenantProvisioner needs a runner: an AwxAutomationRunner, a local "
                    + "Ansible runner, or a ScriptedAutomationRunner for tests and demos");
        }
        if (tenantDirectory == null) {
            throw new IllegalStateException("TenantProvisioner needs a tenantDirectory: the host's tenants "
                    + "(implement TenantDirectory, or use JdbcTenantDirectory over your tenants table)");
        }
    }

    /** @return the host's repository, or (with a warning) a new in-memory one */
    static JobRepository repository(@Nullable JobRepository configured) {
        if (configured != null) {
            return configured;
        }
        log.warn("no JobRepository configured: jobs are kept in memory and lost when the JVM stops; "
                + "configure a JdbcJobRepository for durable jobs");
        return new InMemoryJobRepository();
    }
}
