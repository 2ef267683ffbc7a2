package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.AutomationRunner;
import java.time.Duration;

/**
 * The engine nodes of the multi-node runs, made one way: each node has its own connection pools on the test's
 * schema (jobs: 6 connections, tenants: 2), its own AWX runner against the shared {@link AwxFront}, and its own node
 * id; a test sets the intervals, lease, cap and listeners it needs on the builder. Not thread-safe; call from the
 * test's thread.
 */
public final class EngineNodes {
    /** Connections of a node's job repository pool. */
    public static final int JOB_POOL = 6;
    /** Connections of a node's tenant directory pool. */
    public static final int TENANT_POOL = 2;

    private EngineNodes() {
    }

    /**
     * @param front the fake AWX's front
     * @param readTimeout how long a node waits for an AWX answer
     * @return a runner with a 2 s connect timeout and quick retries (50 ms, then up to 300 ms)
     */
    public static AwxAutomationRunner runner(AwxFront front, Duration readTimeout) {
        return new AwxAutomationRunner(front.configBuilder().connectTimeout(Duration.ofSeconds(2))
                .readTimeout(readTimeout).retryDelays(Duration.ofMillis(50), Duration.ofMillis(300)).build());
    }

    /**
     * @param db the shared schema
     * @param nodeId the node's id (also its pools' names)
     * @param runner the node's runner
     * @return a builder with the node's JDBC job repository and tenant directory, runner and node id
     */
    public static TenantProvisioner.Builder node(Schema db, String nodeId, AutomationRunner runner) {
        return node(db, nodeId, runner, Duration.ofSeconds(30));
    }

    /**
     * @param db the shared schema
     * @param nodeId the node's id (also its pools' names)
     * @param runner the node's runner
     * @param poolTimeout how long a caller waits for a pooled connection
     * @return a builder with the node's JDBC job repository and tenant directory, runner and node id
     */
    public static TenantProvisioner.Builder node(Schema db, String nodeId, AutomationRunner runner,
            Duration poolTimeout) {
        return node(db, nodeId, runner, poolTimeout, poolTimeout);
    }

    /**
     * @param db the shared schema
     * @param nodeId the node's id (also its pools' names)
     * @param runner the node's runner
     * @param poolTimeout how long a caller waits for a pooled connection of the job repository
     * @param tenantPoolTimeout how long a caller waits for a pooled connection of the tenant directory
     * @return a builder with the node's JDBC job repository and tenant directory, runner and node id
     */
    public static TenantProvisioner.Builder node(Schema db, String nodeId, AutomationRunner runner,
            Duration poolTimeout, Duration tenantPoolTimeout) {
        return TenantProvisioner.builder()
                .repository(new JdbcJobRepository(db.newPool(nodeId, JOB_POOL, poolTimeout), JdbcDialect.POSTGRESQL))
                .tenantDirectory(JdbcTenantDirectory.builder(db.newPool(nodeId + "-tenants", TENANT_POOL,
                        tenantPoolTimeout)).build())
                .runner(runner)
                .nodeId(nodeId);
    }
}
