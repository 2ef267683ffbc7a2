package com.dotmac.provisioning;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Engine nodes that share one clock, one write-counting in-memory repository and one recording tenant directory,
 * each on its own {@link ManualScheduler}: the tests that follow a job's writes from node to node. {@link #close()}
 * closes every node made. Not thread-safe (a test's own thread makes the nodes).
 */
final class SharedStateNodes implements AutoCloseable {
    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration POLL = Duration.ofSeconds(15);

    final MutableClock clock = MutableClock.atFixedStart();
    final JobWriteCounter repository = new JobWriteCounter(new InMemoryJobRepository());
    final RecordingTenantDirectory tenants = new RecordingTenantDirectory();
    private final List<TenantProvisioner> nodes = new CopyOnWriteArrayList<>();

    /**
     * Builds and starts a node: lease {@link #LEASE}, poll {@link #POLL}, job timeout 2 h, retries after 10 s and
     * 2 min, cancel grace 5 min, no jitter.
     *
     * @param customise changes to the builder before it builds
     * @return the started node
     */
    TenantProvisioner node(String nodeId, ManualScheduler scheduler, AutomationRunner runner,
            Consumer<TenantProvisioner.Builder> customise) {
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(repository)
                .tenantDirectory(tenants)
                .runner(runner)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId(nodeId)
                .leaseDuration(LEASE)
                .pollInterval(POLL)
                .jobTimeout(Duration.ofHours(2))
                .retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(2))
                .cancelGrace(Duration.ofMinutes(5))
                .jitter(() -> 0.5);
        customise.accept(builder);
        TenantProvisioner provisioner = builder.build();
        provisioner.start();
        nodes.add(provisioner);
        return provisioner;
    }

    /** @return the types of the job's events, oldest first */
    List<JobEventType> types(String jobId) {
        return repository.events(jobId).stream().map(JobEvent::type).toList();
    }

    @Override
    public void close() {
        nodes.forEach(TenantProvisioner::close);
    }
}
