package com.dotmac.provisioning;

import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.internal.engine.EngineContext;
import com.dotmac.provisioning.internal.engine.EventDeliveryTask;
import com.dotmac.provisioning.internal.engine.JobCommands;
import com.dotmac.provisioning.internal.engine.ProvisioningEngine;
import com.dotmac.provisioning.policy.RequestVariables;
import com.dotmac.provisioning.policy.TemplateOverrides;
import com.dotmac.provisioning.retry.Backoff;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.Rollouts;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The library's entry point: accepts provisioning requests and drives each job to a terminal state.
 *
 * <pre>{@code
 * TenantProvisioner provisioner = TenantProvisioner.builder()
 *         .repository(new JdbcJobRepository(dataSource))      // durable; in memory when omitted
 *         .runner(awxRunner)                                   // AWX, local Ansible, or scripted
 *         .tenantDirectory(tenants)                            // the host's tenants
 *         .build();
 * provisioner.start();
 * ProvisioningJob job = provisioner.request(
 *         ProvisioningRequest.provision("tenant-42", DeploymentMode.DOTMAC_HOSTED));
 * }</pre>
 *
 * <p>Jobs are processed by the engine once {@link #start()} was called: immediately after each request, and by a
 * periodic sweep that also picks up the work of nodes that died. Several provisioners (one per node) may share one
 * repository. Thread-safe; {@link #close()} stops the engine gracefully.
 *
 * <p>While the job repository (the database) cannot be reached, the calls that read or write jobs fail fast with
 * {@link ProvisioningUnavailableException} and store nothing; the engine backs off and takes every job up again once
 * the repository is back ({@link #repositoryUnavailableSince()}).
 */
public final class TenantProvisioner implements AutoCloseable {
    private final EngineContext context;
    private final ProvisioningEngine engine;
    private final JobCommands commands;
    private final boolean ownsScheduler;
    private final @Nullable ProvisionerRollouts rollouts;
    private final @Nullable EventDeliveryTask events;

    private TenantProvisioner(EngineContext context, boolean ownsScheduler, @Nullable RolloutRepository rollouts,
            @Nullable EventDeliveryTask events) {
        this.context = context;
        this.events = events;
        this.engine = new ProvisioningEngine(context);
        this.commands = new JobCommands(context, engine);
        this.ownsScheduler = ownsScheduler;
        this.rollouts = rollouts == null ? null : new ProvisionerRollouts(context, commands, rollouts,
                () -> engine.repositoryUnavailableSince().isPresent());
    }

    /** @return a builder; a runner and a tenant directory are required */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the engine: the periodic sweep and immediate processing. Idempotent. */
    public void start() {
        engine.start();
        if (rollouts != null) {
            rollouts.start();
        }
        if (events != null) {
            events.start();
        }
    }

    /** Stops the engine; jobs in flight continue on the next start or on another node. Idempotent. */
    @Override
    public void close() {
        if (events != null) {
            events.stop();
        }
        if (rollouts != null) {
            rollouts.stop();
        }
        engine.stop();
        if (ownsScheduler) {
            context.scheduler().close();
        }
    }

    /** @return whether {@link #start()} was called and {@link #close()} was not */
    public boolean isRunning() {
        return engine.isRunning();
    }

    /**
     * Validates and stores a request as a {@code queued} job, sets the tenant's status (e.g. {@code provisioning}),
     * and starts processing it. A rejected request stores nothing and changes no tenant status.
     *
     * @param request what to do
     * @return the new job; or, for a repeated idempotency key of the same tenant, the job created the first time
     *     (also when both requests run at the same moment; {@link #submit} also says which of the two it was)
     * @throws TenantNotFoundException when the tenant does not exist
     * @throws InvalidRequestException when the host's allow-lists refuse the request (an undeclared or refused extra
     *     var, a template override that is not allowed, a credential not registered for the tenant), or the tenant's
     *     slug is not a DNS label
     * @throws ActiveJobConflictException when the tenant already has a queued or in-progress job
     * @throws OperationNotAllowedException when the tenant's status does not allow the operation
     * @throws ProvisioningUnavailableException when the job repository cannot be reached (nothing was stored)
     */
    public ProvisioningJob request(ProvisioningRequest request) {
        return submit(request).job();
    }

    /**
     * As {@link #request}, and says whether this call created the job: a request whose idempotency key the tenant
     * has used already (by an earlier request, or by one running at the same moment) gets that job, with
     * {@link Submission#created()} false, and is never refused because that job already changed the tenant's status.
     * An API answers 201 or 200 from it; a read before the call cannot tell, as a concurrent request may store the
     * job in between. Thread-safe.
     *
     * @param request what to do
     * @return the job, and whether this call created it
     * @throws TenantNotFoundException when the tenant does not exist
     * @throws InvalidRequestException as {@link #request}
     * @throws ActiveJobConflictException when the tenant already has a queued or in-progress job (of another key)
     * @throws OperationNotAllowedException when the tenant's status does not allow the operation
     * @throws ProvisioningUnavailableException when the job repository cannot be reached (nothing was stored)
     */
    public Submission submit(ProvisioningRequest request) {
        Objects.requireNonNull(request, "request");
        return commands.submit(request);
    }

    /**
     * @param jobId a job id
     * @return the job, or empty
     */
    public Optional<ProvisioningJob> job(String jobId) {
        return commands.job(jobId);
    }

    /**
     * @param tenantId a tenant
     * @param page the page number, from 1
     * @param pageSize jobs per page, 1-100
     * @return the tenant's jobs, newest first, with the total
     * @throws InvalidRequestException naming {@code page} or {@code page_size} when out of range
     */
    public JobPage jobs(String tenantId, int page, int pageSize) {
        return commands.jobs(tenantId, page, pageSize);
    }

    /**
     * Lists jobs across tenants, for operator tools (the console's lists). Thread-safe.
     *
     * @param query which jobs ({@link JobQuery#all()} for every job)
     * @param page the page number, from 1
     * @param pageSize jobs per page, 1-100
     * @return the matching jobs, newest first, with the total
     * @throws InvalidRequestException naming {@code page} or {@code page_size} when out of range
     * @throws UnsupportedOperationException when the job repository cannot list jobs across tenants
     * @throws ProvisioningUnavailableException when the job repository cannot be reached
     */
    public JobPage findJobs(JobQuery query, int page, int pageSize) {
        Objects.requireNonNull(query, "query");
        return commands.findJobs(query, page, pageSize);
    }

    /**
     * @param jobId a job
     * @return its timeline, oldest first
     * @throws JobNotFoundException when the job does not exist
     */
    public List<JobEvent> events(String jobId) {
        return commands.events(jobId);
    }

    /**
     * Cancels a job: a queued job whose launch has not begun is {@code cancelled} at once; otherwise the run is
     * stopped and the job becomes {@code cancelled} when the runner confirms it (or after the cancel grace).
     *
     * @param jobId the job
     * @param requestedBy who asks
     * @param reason why, or null
     * @return the job after the request was recorded
     * @throws JobNotFoundException when the job does not exist
     * @throws JobFinishedException when the job has already finished
     * @throws InvalidRequestException when {@code requestedBy} or {@code reason} is not acceptable text
     */
    public ProvisioningJob cancel(String jobId, String requestedBy, @Nullable String reason) {
        return commands.cancel(jobId, requestedBy, reason);
    }

    /**
     * Starts a new job that repeats a failed, cancelled or timed-out one ({@code retryOf} links them). The usual
     * request checks apply.
     *
     * @param jobId the job to repeat
     * @param requestedBy who asks
     * @return the new job
     * @throws JobNotFoundException when the job does not exist
     * @throws InvalidRequestException when the host's allow-lists no longer accept what the job chose (its extra
     *     vars, its template override, its credential)
     * @throws RetryNotAllowedException when the job succeeded or is still active, or when a launch attempt of it may
     *     have started a run that the engine has not been able to look for yet (until it has looked, at the latest
     *     the job timeout after the job ended; see {@link ErrorCodes#LAUNCH_OUTCOME_UNKNOWN})
     * @throws ActiveJobConflictException when the tenant has another active job
     * @throws OperationNotAllowedException when the tenant's status no longer allows the operation
     */
    public ProvisioningJob retry(String jobId, String requestedBy) {
        return commands.retry(jobId, requestedBy);
    }

    /**
     * Accepts a playbook's post-provision callback: records it on the timeline, stores its artifacts, stamps
     * {@code last_acknowledged_at} and polls the run at once. The runner's status stays the source of truth.
     *
     * @param jobId the job the caller names
     * @param token the Bearer token the caller presents
     * @param report what the playbook reports
     * @throws InvalidCallbackTokenException when the token is not this job's (or callbacks are off)
     * @throws JobNotFoundException when the job does not exist
     * @throws JobFinishedException when the job ended longer ago than the callback grace
     */
    public void acceptCallback(String jobId, @Nullable String token, CallbackReport report) {
        commands.acceptCallback(jobId, token, report);
    }

    /**
     * @param jobId a job
     * @return the token its playbook must present on callback (what the engine passes as
     *     {@code platform_callback_token})
     * @throws IllegalStateException when callbacks are not configured
     */
    public String callbackToken(String jobId) {
        return commands.callbackToken(jobId);
    }

    /**
     * Checks a callback token without recording anything (constant-time comparison).
     *
     * @param jobId the job the caller names
     * @param token the token the caller presents, or null
     * @return whether callbacks are configured and the token is that job's
     */
    public boolean isCallbackTokenValid(String jobId, @Nullable String token) {
        return commands.isCallbackTokenValid(jobId, token);
    }

    /**
     * Runs one sweep on the calling thread: claims due jobs and works on them. The engine does this periodically;
     * tests and tools call it to step the engine deterministically.
     *
     * @return how many jobs were claimed
     */
    public int sweepNow() {
        int claimed = engine.sweep();
        if (rollouts != null) {
            rollouts.sweep();
        }
        return claimed;
    }

    /**
     * Starts a rollout: one operation across many tenants, in waves ({@link Rollouts#start}).
     *
     * @param request what to roll out, to whom, and how
     * @return the rollout, {@code running}; its first members start at the next sweep
     * @throws InvalidRequestException naming every bad field, nothing stored
     * @throws IllegalStateException when no {@link RolloutRepository} is configured
     */
    public Rollout rollout(RolloutRequest request) {
        Objects.requireNonNull(request, "request");
        return rollouts().start(request);
    }

    /**
     * @return the rollouts: start, read, pause, resume and abort them
     * @throws IllegalStateException when no {@link RolloutRepository} is configured
     */
    public Rollouts rollouts() {
        if (rollouts == null) {
            throw new IllegalStateException("rollouts need a RolloutRepository: configure one with"
                    + " TenantProvisioner.builder().rolloutRepository(...) (JdbcRolloutRepository, or"
                    + " InMemoryRolloutRepository for tests)");
        }
        return rollouts.rollouts();
    }

    /**
     * @return when this node found the job repository unavailable, if it has not reached it since (the engine backs
     *     off meanwhile, and calls fail with {@link ProvisioningUnavailableException}); empty when it is reachable as
     *     far as this node knows
     */
    public Optional<Instant> repositoryUnavailableSince() {
        return engine.repositoryUnavailableSince();
    }

    /**
     * The jobs whose tenant status the host's tenant directory keeps refusing, as this node saw them (a health check
     * reports it: a directory that refuses for long leaves tenants showing a stale status). Each node counts the
     * jobs it retried recently; a job retried by another node is counted there.
     *
     * @return how many jobs wait on the directory, and since when the longest-waiting one is refused
     */
    public TenantDirectoryBacklog tenantDirectoryBacklog() {
        return engine.tenantDirectoryBacklog();
    }

    /** @return the runner this provisioner uses (e.g. for its health check) */
    public AutomationRunner runner() {
        return context.runner();
    }

    /** @return the repository this provisioner uses */
    public JobRepository repository() {
        return context.repository();
    }

    /** @return the request extra vars this provisioner accepts (e.g. to report every bad key of a body at once) */
    public RequestVariables requestVariables() {
        return context.guard().variables();
    }

    /** @return the engine settings in effect */
    public EngineSettings settings() {
        return context.settings();
    }

    /** A mutable builder; not thread-safe. */
    public static final class Builder {
        private final ProvisionerParts parts = new ProvisionerParts();

        private Builder() {
        }

        /** @param v where jobs are stored (default: in memory, not durable) @return this */
        public Builder repository(JobRepository v) {
            parts.repository = Objects.requireNonNull(v, "repository");
            return this;
        }

        /** @param v where rollouts are stored (default: none, and {@link #rollouts()} is refused) @return this */
        public Builder rolloutRepository(RolloutRepository v) {
            parts.rolloutRepository = Objects.requireNonNull(v, "rolloutRepository");
            return this;
        }

        /** @param v what runs the automation (required) @return this */
        public Builder runner(AutomationRunner v) {
            parts.runner = Objects.requireNonNull(v, "runner");
            return this;
        }

        /** @param v the host's tenants (required) @return this */
        public Builder tenantDirectory(TenantDirectory v) {
            parts.tenantDirectory = Objects.requireNonNull(v, "tenantDirectory");
            return this;
        }

        /** @param v runs the engine's work (default: an {@link ExecutorScheduler}, closed with the provisioner) @return this */
        public Builder scheduler(Scheduler v) {
            parts.scheduler = Objects.requireNonNull(v, "scheduler");
            return this;
        }

        /** @param v the engine's clock (default: system UTC) @return this */
        public Builder clock(Clock v) {
            parts.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** @param v this node's unique name in leases (default: host name, process id and a random part) @return this */
        public Builder nodeId(String v) {
            parts.nodeId = Objects.requireNonNull(v, "nodeId");
            return this;
        }

        /** @param v see {@link EngineSettings#pollInterval()} @return this */
        public Builder pollInterval(Duration v) {
            parts.pollInterval = v;
            return this;
        }

        /** @param v see {@link EngineSettings#sweepInterval()} @return this */
        public Builder sweepInterval(Duration v) {
            parts.sweepInterval = v;
            return this;
        }

        /** @param v see {@link EngineSettings#jobTimeout()} @return this */
        public Builder jobTimeout(Duration v) {
            parts.jobTimeout = v;
            return this;
        }

        /** @param v see {@link EngineSettings#callbackSafetyPollEvery()} (at least 1) @return this */
        public Builder callbackSafetyPollEvery(int v) {
            parts.callbackSafetyPollEvery = v;
            return this;
        }

        /** @param v see {@link EngineSettings#pendingTimeout()} @return this */
        public Builder pendingTimeout(Duration v) {
            parts.pendingTimeout = v;
            return this;
        }

        /** @param v see {@link EngineSettings#runnerCallThreads()} @return this */
        public Builder runnerCallThreads(int v) {
            parts.runnerCallThreads = v;
            return this;
        }

        /** @param v see {@link EngineSettings#leaseDuration()} @return this */
        public Builder leaseDuration(Duration v) {
            parts.leaseDuration = v;
            return this;
        }

        /** @param v see {@link EngineSettings#runnerCallTimeout()} @return this */
        public Builder runnerCallTimeout(Duration v) {
            parts.runnerCallTimeout = v;
            return this;
        }

        /** @param v see {@link EngineSettings#maxConcurrentRuns()} @return this */
        public Builder maxConcurrentRuns(int v) {
            parts.maxConcurrentRuns = v;
            return this;
        }

        /** @param v see {@link EngineSettings#maxLaunchAttempts()} @return this */
        public Builder maxLaunchAttempts(int v) {
            parts.maxLaunchAttempts = v;
            return this;
        }

        /** @param initial first back-off @param max longest back-off @return this */
        public Builder retryDelays(Duration initial, Duration max) {
            parts.retryInitialDelay = initial;
            parts.retryMaxDelay = max;
            return this;
        }

        /**
         * @param v see {@link EngineSettings#retryBackoff()}: its initial and longest delay (as
         *     {@link #retryDelays}), multiplier and jitter (default {@link Backoff#DEFAULT})
         * @return this
         */
        public Builder retryBackoff(Backoff v) {
            retryDelays(v.initialDelay(), v.maxDelay());
            parts.retryMultiplier = v.multiplier();
            parts.retryJitter = v.jitter();
            return this;
        }

        /** @param v see {@link EngineSettings#cancelGrace()} @return this */
        public Builder cancelGrace(Duration v) {
            parts.cancelGrace = v;
            return this;
        }

        /** @param v see {@link EngineSettings#callbackGrace()} @return this */
        public Builder callbackGrace(Duration v) {
            parts.callbackGrace = v;
            return this;
        }

        /** @param v see {@link EngineSettings#claimBatchSize()} @return this */
        public Builder claimBatchSize(int v) {
            parts.claimBatchSize = v;
            return this;
        }

        /**
         * Retention: finished jobs and their events are deleted this long after they finished, by a task each node
         * runs every {@link RetentionSettings#DEFAULT_INTERVAL} (see {@link RetentionSettings}).
         *
         * @param finishedJobsKeptFor how long finished jobs are kept; {@link Duration#ZERO} (the default) keeps them
         *     for ever
         * @return this
         */
        public Builder retention(Duration finishedJobsKeptFor) {
            return retention(RetentionSettings.keepFinishedJobsFor(
                    Objects.requireNonNull(finishedJobsKeptFor, "finishedJobsKeptFor")));
        }

        /** @param v see {@link EngineSettings#retention()} (default {@link RetentionSettings#OFF}) @return this */
        public Builder retention(RetentionSettings v) {
            parts.retention = Objects.requireNonNull(v, "retention");
            return this;
        }

        /** @param v which operations a tenant status allows (default {@link OperationPolicy#DEFAULT}) @return this */
        public Builder operationPolicy(OperationPolicy v) {
            parts.operationPolicy = Objects.requireNonNull(v, "operationPolicy");
            return this;
        }

        /** @param v callback URL and secret (default: no callbacks) @return this */
        public Builder callback(@Nullable CallbackSettings v) {
            parts.callback = v;
            return this;
        }

        /**
         * Registers a consumer of the durable outbox's events (every job status change, {@code job.queued} to
         * {@code job.succeeded}): delivered at least once, in order per tenant, on a thread of its own, from any node;
         * deduplicate by {@link com.dotmac.provisioning.events.ProvisioningEvent#id()} (see {@link EventConsumer}).
         * Each name has its own delivery state: several consumers each get every event. Register the same names on
         * every node. Needs a repository with an outbox ({@link com.dotmac.provisioning.spi.EventOutbox}: the
         * in-memory and the JDBC ones). Unlike a {@link #listener}, an event survives a crash between the change and
         * its delivery.
         *
         * @param name the consumer's name, 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}; unique
         * @param consumer the consumer
         * @return this
         * @throws IllegalArgumentException when the name is malformed or taken
         */
        public Builder eventConsumer(String name, EventConsumer consumer) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(consumer, "consumer");
            if (!EventDeliveryTask.isValidName(name)) {
                throw new IllegalArgumentException("eventConsumer name must be 1 to 64 letters, digits, '.', '_' "
                        + "or '-'");
            }
            if (parts.eventConsumers.putIfAbsent(name, consumer) != null) {
                throw new IllegalArgumentException("an event consumer named " + name + " is registered already");
            }
            return this;
        }

        /**
         * @param v how often each node looks for outbox events to deliver (default 1 s: about the most an event
         *     waits for its first delivery)
         * @return this
         */
        public Builder eventDeliveryInterval(Duration v) {
            parts.eventDeliveryInterval = EventDeliveryTask.checkInterval(v);
            return this;
        }

        /**
         * Traces requests, launches, polls and endings (the {@code provisioning-opentelemetry} module's
         * {@code OpenTelemetryJobTracer}, for OpenTelemetry). A request's trace context is stored with its job, so
         * the launch and ending on any node join the request's trace, and the launch passes the W3C
         * {@code traceparent} to the automation (an extra var, and to AWX a header). Default: {@link JobTracer#NONE},
         * which traces nothing and passes nothing on.
         *
         * @param v the tracer
         * @return this
         */
        public Builder tracer(JobTracer v) {
            parts.tracer = Objects.requireNonNull(v, "tracer");
            return this;
        }

        /** @param v hears every job event @return this */
        public Builder listener(JobListener v) {
            parts.listeners.add(Objects.requireNonNull(v, "listener"));
            return this;
        }

        /**
         * @param v the extra vars a request may set, with the values each accepts (default
         *     {@link RequestVariables#DEFAULT}: {@code plan} and {@code region}); any other key is refused @return this
         */
        public Builder requestVariables(RequestVariables v) {
            parts.requestVariables = Objects.requireNonNull(v, "requestVariables");
            return this;
        }

        /** @param v the templates a request may name instead of the configured ones (default: none) @return this */
        public Builder templateOverrides(TemplateOverrides v) {
            parts.templateOverrides = Objects.requireNonNull(v, "templateOverrides");
            return this;
        }

        /**
         * @param v which credentials each tenant's customer-hosted jobs may use (default {@link CredentialPolicy#NONE}:
         *     none, so customer-hosted requests are refused until credentials are registered)
         * @return this
         */
        public Builder credentialPolicy(CredentialPolicy v) {
            parts.credentialPolicy = Objects.requireNonNull(v, "credentialPolicy");
            return this;
        }

        /** @param random the retry back-off's jitter source, uniform in [0, 1) (tests use a fixed one) @return this */
        public Builder jitter(DoubleSupplier random) {
            parts.jitter = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @return the provisioner, not yet started
         * @throws IllegalStateException naming what is missing (runner, tenant directory)
         * @throws IllegalArgumentException naming a bad setting
         */
        public TenantProvisioner build() {
            EngineContext context = parts.context();
            return new TenantProvisioner(context, parts.ownsScheduler(), parts.rolloutRepository,
                    EventDeliveryTask.create(context, parts.eventConsumers, parts.eventDeliveryInterval));
        }
    }
}
