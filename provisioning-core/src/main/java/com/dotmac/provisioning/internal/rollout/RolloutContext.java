package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.time.Clock;
import java.time.Duration;

/**
 * What the rollout engine works with. Immutable; its parts are thread-safe.
 *
 * @param rollouts where rollouts are stored
 * @param jobs where jobs are stored (to follow the members' jobs, and to find a tenant's deployment)
 * @param tenants the host's tenants
 * @param memberJobs the job engine
 * @param clock the engine's clock
 * @param nodeId this node, in rollout leases
 * @param lease how long a node holds a rollout it works on
 * @param checkInterval how often a live rollout is looked at
 */
public record RolloutContext(
        RolloutRepository rollouts,
        JobRepository jobs,
        TenantDirectory tenants,
        MemberJobs memberJobs,
        Clock clock,
        String nodeId,
        Duration lease,
        Duration checkInterval) {
}
