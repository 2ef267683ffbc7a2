package com.dotmac.provisioning;

import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.internal.engine.EngineContext;
import com.dotmac.provisioning.internal.engine.EventDeliveryTask;
import com.dotmac.provisioning.internal.engine.RequestGuard;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.CredentialPolicy;
import com.dotmac.provisioning.spi.JobListener;
import com.dotmac.provisioning.spi.JobTracer;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.Scheduler;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.state.OperationPolicy;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link TenantProvisioner.Builder} collects, and how it becomes the engine's context: the defaults filled in for
 * what the host left out (a node id, an in-memory repository, an executor scheduler, the back-off's random source) and
 * the check that the required parts are there. Mutable and confined to its builder's thread, as the builder is; the
 * static members are stateless.
 */
final class ProvisionerParts {
    private static final Logger log = LoggerFactory.getLogger(TenantProvisioner.class);

    /** The jitter source of the retry back-off when the host sets none. */
    static final DoubleSupplier RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    @Nullable JobRepository repository;
    @Nullable RolloutRepository rolloutRepository;
    @Nullable AutomationRunner runner;
    @Nullable TenantDirectory tenantDirectory;
    @Nullable Scheduler scheduler;
    Clock clock = Clock.systemUTC();
    @Nullable String nodeId;
    Duration pollInterval = EngineSettings.DEFAULT_POLL_INTERVAL;
    Duration sweepInterval = EngineSettings.DEFAULT_SWEEP_INTERVAL;
    Duration jobTimeout = EngineSettings.DEFAULT_JOB_TIMEOUT;
    Duration leaseDuration = EngineSettings.DEFAULT_LEASE_DURATION;
    int maxConcurrentRuns = EngineSettings.DEFAULT_MAX_CONCURRENT_RUNS;
    int maxLaunchAttempts = EngineSettings.DEFAULT_MAX_LAUNCH_ATTEMPTS;
    Duration retryInitialDelay = EngineSettings.DEFAULT_RETRY_INITIAL_DELAY;
    Duration retryMaxDelay = EngineSettings.DEFAULT_RETRY_MAX_DELAY;
    double retryMultiplier = EngineSettings.DEFAULT_RETRY_MULTIPLIER;
    double retryJitter = EngineSettings.DEFAULT_RETRY_JITTER;
    Duration cancelGrace = EngineSettings.DEFAULT_CANCEL_GRACE;
    Duration callbackGrace = EngineSettings.DEFAULT_CALLBACK_GRACE;
    int claimBatchSize = EngineSettings.DEFAULT_CLAIM_BATCH_SIZE;
    Duration runnerCallTimeout = EngineSettings.DEFAULT_RUNNER_CALL_TIMEOUT;
    RetentionSettings retention = EngineSettings.DEFAULT_RETENTION;
    Duration pendingTimeout = EngineSettings.DEFAULT_PENDING_TIMEOUT;
    int runnerCallThreads = EngineSettings.DEFAULT_RUNNER_CALL_THREADS;
    int callbackSafetyPollEvery = EngineSettings.DEFAULT_CALLBACK_SAFETY_POLL_EVERY;
    OperationPolicy operationPolicy = OperationPolicy.DEFAULT;
    @Nullable CallbackSettings callback;
    final List<JobListener> listeners = new ArrayList<>();
    JobTracer tracer = JobTracer.NONE;
    final Map<String, EventConsumer> eventConsumers = new LinkedHashMap<>();
    Duration eventDeliveryInterval = EventDeliveryTask.DEFAULT_INTERVAL;
    @Nullable DoubleSupplier jitter;
    RequestVariables requestVariables = RequestVariables.DEFAULT;
    TemplateOverrides templateOverrides = TemplateOverrides.none();
    CredentialPolicy credentialPolicy = CredentialPolicy.NONE;

    ProvisionerParts() {
    }

    /** @return whether the provisioner runs on a scheduler of its own (none was given), which it then shuts down */
    boolean ownsScheduler() {
        return scheduler == null;
    }

    /**
     * @return the engine's context from the collected values and the defaults
     * @throws IllegalStateException naming what is missing (runner, tenant directory)
     * @throws IllegalArgumentException naming a bad setting
     */
    EngineContext context() {
        requireRunnerAndDirectory(runner, tenantDirectory);
        EngineSettings settings = new EngineSettings(nodeId != null ? nodeId : defaultNodeId(), pollInterval,
                sweepInterval, jobTimeout, leaseDuration, maxConcurrentRuns, maxLaunchAttempts,
                EngineSettings.retryBackoff(retryInitialDelay, retryMaxDelay, retryMultiplier, retryJitter),
                cancelGrace, callbackGrace, claimBatchSize, runnerCallTimeout, retention, pendingTimeout,
                runnerCallThreads, callbackSafetyPollEvery);
        return new EngineContext(repository(repository), Objects.requireNonNull(runner),
                Objects.requireNonNull(tenantDirectory), scheduler != null ? scheduler : new ExecutorScheduler(), clock,
                settings, operationPolicy, callback, listeners, jitter != null ? jitter : RANDOM,
                new RequestGuard(requestVariables, templateOverrides, credentialPolicy), tracer);
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
