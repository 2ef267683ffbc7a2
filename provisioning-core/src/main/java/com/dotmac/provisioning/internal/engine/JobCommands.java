package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobFinishedException;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.OperationNotAllowedException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.RetryNotAllowedException;
import com.dotmac.provisioning.Submission;
import com.dotmac.provisioning.TenantNotFoundException;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.InputRules;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TraceSpan;
import com.dotmac.provisioning.state.Transition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What callers ask of the provisioner: request, cancel, retry, callback and reads. Validates everything before it
 * writes anything. While the job repository is unavailable every call fails fast with
 * {@link com.dotmac.provisioning.ProvisioningUnavailableException} ({@link RepositoryOutage}): before the engine's
 * next attempt is due without touching the repository, else when the repository refuses; a job already stored when
 * the repository went away is answered as created (the engine takes it up after the outage). Thread-safe.
 */
public final class JobCommands {
    private static final Logger log = LoggerFactory.getLogger(JobCommands.class);
    /** Largest page size accepted by {@link #jobs}. */
    public static final int MAX_PAGE_SIZE = 100;
    /** The {@code created} event's data key that records a request's template override, kept by a retry. */
    private static final String TEMPLATE_OVERRIDE = "awx_template_id";

    private final EngineContext ctx;
    private final ProvisioningEngine engine;
    private final JobWriter writer;
    private final CallbackIntake callbacks;
    private final RepositoryOutage outage;

    /**
     * @param ctx what the engine works with
     * @param engine the engine that processes the jobs
     */
    public JobCommands(EngineContext ctx, ProvisioningEngine engine) {
        this.ctx = ctx;
        this.engine = engine;
        this.writer = engine.writer();
        this.callbacks = new CallbackIntake(ctx, writer);
        this.outage = engine.outage();
    }

    /** Runs a call that needs the repository: fails fast during an outage, and ends one when it gets through. */
    private <T> T available(Supplier<T> call) {
        outage.checkRequest();
        Instant startedAt = ctx.clock().instant();
        try {
            T result = call.get();
            outage.reached(startedAt);
            return result;
        } catch (RepositoryUnavailableException e) {
            throw outage.requestFailed(e);
        }
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#submit(ProvisioningRequest)
     */
    public Submission submit(ProvisioningRequest request) {
        return available(() -> create(request, null));
    }

    /**
     * Creates a job inside the request's span ({@link com.dotmac.provisioning.spi.JobTracer#request}); the job keeps
     * the span's traceparent.
     */
    private Submission create(ProvisioningRequest request, @Nullable String retryOf) {
        TraceSpan span = ctx.tracer().request(request.tenantId(), request.operation());
        try {
            Submission submission = createJob(request, retryOf, span.traceparent());
            span.job(submission.job());
            return submission;
        } catch (RuntimeException e) {
            span.failed(e.getClass().getSimpleName());
            throw e;
        } finally {
            span.close();
        }
    }

    private Submission createJob(ProvisioningRequest request, @Nullable String retryOf,
            @Nullable String traceparent) {
        ctx.guard().check(request);
        Optional<StoredJob> existing = jobWithKeyOf(request);
        if (existing.isPresent()) {
            return new Submission(existing.get().job(), false);
        }
        Tenant tenant = ctx.directory().find(request.tenantId())
                .orElseThrow(() -> new TenantNotFoundException(request.tenantId()));
        String badSlug = InputRules.dnsLabel(tenant.slug());
        if (badSlug != null) {
            throw new InvalidRequestException("tenant_slug", "the tenant's slug " + badSlug);
        }
        if (!ctx.policy().allows(request.operation(), tenant.status())) {
            // a concurrent request with the same key may have stored its job since the look-up above, and that job
            // set the status refused here (e.g. upgrading): the request gets that job, as if it had come second
            Optional<StoredJob> concurrent = jobWithKeyOf(request);
            if (concurrent.isPresent()) {
                return new Submission(concurrent.get().job(), false);
            }
            // an active job explains a refusal better (its status is the reason); otherwise the repository's
            // atomic create reports the conflict, so the usual request reads nothing more
            Optional<StoredJob> active = ctx.repository().findActive(tenant.id());
            if (active.isPresent()) {
                throw new ActiveJobConflictException(tenant.id(), active.get().id());
            }
            throw new OperationNotAllowedException(tenant.id(), request.operation(), tenant.status());
        }
        Instant now = ctx.clock().instant();
        ProvisioningJob job = ProvisioningJob.builder(UUID.randomUUID().toString())
                .tenantId(tenant.id())
                .tenantSlug(tenant.slug())
                .operation(request.operation())
                .deploymentMode(request.deploymentMode())
                .status(JobStatus.QUEUED)
                .templateId(request.templateId())
                .requestedBy(request.requestedBy())
                .createdAt(now)
                .updatedAt(now)
                .extraVars(request.extraVars())
                .connectionProfile(request.connectionProfile())
                .releaseVersion(request.releaseVersion())
                .idempotencyKey(request.idempotencyKey())
                .retryOf(retryOf)
                .traceparent(traceparent)
                .build();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requested_by", request.requestedBy());
        data.put("operation", request.operation().wireName());
        if (retryOf != null) {
            data.put("retry_of", retryOf);
        }
        if (request.templateId() != null) {
            data.put(TEMPLATE_OVERRIDE, request.templateId());
        }
        JobEvent created = new JobEvent(job.id(), now, JobEventType.CREATED, null, JobStatus.QUEUED,
                request.operation().wireName() + " requested by " + request.requestedBy()
                        + (retryOf == null ? "" : " (retry of job " + retryOf + ")"), data);
        StoredJob toStore = StoredJob.newJob(job, now)
                .withLease(ctx.settings().nodeId(), now.plus(ctx.settings().leaseDuration()));
        boolean fenced = engine.insertsLaunchPending();
        if (fenced) {
            // the first launch attempt is fenced by the insert: a node that takes the job over after this one died
            // looks for its run first; this node launches without a write of its own (FreshLaunches)
            toStore = toStore.withLaunchPendingSince(now);
        }
        StoredJob stored = writer.create(toStore, List.of(created));
        if (!stored.id().equals(job.id())) {
            return new Submission(stored.job(), false);
        }
        if (fenced) {
            engine.freshLaunches().reserve(stored);
        }
        log.info("job {}: {} of tenant {} ({}) requested by {}", job.id(), job.operation().wireName(),
                job.tenantId(), job.deploymentMode().wireName(), job.requestedBy());
        // settling releases the creator's lease with the job due now, which asks the engine to process it at once
        try {
            return new Submission(engine.settleNewJob(stored), true);
        } catch (RepositoryUnavailableException e) {
            // the job is stored: it is taken up when its creator's lease runs out after the outage
            engine.freshLaunches().forget(stored.id());
            outage.noticed(e);
            return new Submission(stored.job(), true);
        }
    }

    /** The tenant's job that holds the request's idempotency key, if it has one. */
    private Optional<StoredJob> jobWithKeyOf(ProvisioningRequest request) {
        String key = request.idempotencyKey();
        return key == null ? Optional.empty() : ctx.repository().findByIdempotencyKey(request.tenantId(), key);
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#cancel(String, String, String)
     */
    public ProvisioningJob cancel(String jobId, String requestedBy, @Nullable String reason) {
        return available(() -> cancelJob(jobId, requestedBy, reason));
    }

    private ProvisioningJob cancelJob(String jobId, String requestedBy, @Nullable String reason) {
        FieldErrors errors = new FieldErrors();
        String badBy = InputRules.text(requestedBy, InputRules.MAX_TEXT_LENGTH);
        if (badBy != null) {
            errors.add("requested_by", badBy);
        }
        if (reason != null) {
            String badReason = InputRules.text(reason, InputRules.MAX_TEXT_LENGTH);
            if (badReason != null) {
                errors.add("reason", badReason);
            }
        }
        errors.throwIfAny();
        StoredJob saved = writer.update(jobId, s -> {
            ProvisioningJob job = s.job();
            Instant now = ctx.clock().instant();
            if (job.status().isTerminal()) {
                throw new JobFinishedException(jobId, job.status(), "cancelled");
            }
            StopRequest stop = new StopRequest(StopReason.CANCEL, requestedBy, reason, now);
            Map<String, Object> data = Map.of("requested_by", requestedBy);
            // a job whose launch only its insert fenced, still held by this node before any runner call, is cancelled
            // at once too: taking its reservation keeps that launch from happening
            if (job.status() == JobStatus.QUEUED
                    && (s.launchPendingSince() == null || engine.freshLaunches().take(s))) {
                return JobChange.of(s, now)
                        .event(JobEventType.CANCEL_REQUESTED, "cancel requested by " + requestedBy, data)
                        .end(Transition.CANCELLED_BEFORE_LAUNCH, ErrorCodes.CANCELLED,
                                "cancelled by " + requestedBy + (reason == null ? "" : ": " + reason), data)
                        .stored(x -> x.withLaunchPendingSince(null));
            }
            if (s.stop() != null && s.stop().reason() == StopReason.CANCEL) {
                return null;
            }
            return JobChange.of(s, now)
                    .event(JobEventType.CANCEL_REQUESTED, "cancel requested by " + requestedBy
                            + (reason == null ? "" : ": " + reason) + "; stopping the run", data)
                    .stored(x -> x.withStop(stop).withStopSentAt(null).withNextCheckAt(now));
        });
        log.info("job {}: cancel requested by {}", jobId, requestedBy);
        engine.processSoon(jobId);
        return saved.job();
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#retry(String, String)
     */
    public ProvisioningJob retry(String jobId, String requestedBy) {
        return available(() -> retryJob(jobId, requestedBy));
    }

    private ProvisioningJob retryJob(String jobId, String requestedBy) {
        StoredJob stored = find(jobId);
        ProvisioningJob failed = stored.job();
        if (failed.status() != JobStatus.FAILED && failed.status() != JobStatus.CANCELLED
                && failed.status() != JobStatus.TIMED_OUT) {
            throw new RetryNotAllowedException(jobId, failed.status());
        }
        if (StrayRunWatch.runMayBeLive(ctx, stored)) {
            throw new RetryNotAllowedException(jobId, failed.status(), "provisioning job " + jobId + " may have "
                    + "started a run that the engine could not look for: check the automation platform for a run with "
                    + "provisioning_job_id=" + jobId + " (the engine cancels it when it finds it); a retry is allowed "
                    + "once the engine has looked and found none, at the latest at "
                    + StrayRunWatch.watchUntil(ctx, failed));
        }
        ProvisioningRequest request = ProvisioningRequest.builder(failed.tenantId())
                .operation(failed.operation())
                .deploymentMode(failed.deploymentMode())
                .extraVars(failed.extraVars())
                .connectionProfile(failed.connectionProfile())
                .releaseVersion(failed.releaseVersion())
                .templateId(templateOverrideOf(jobId))
                .requestedBy(requestedBy)
                .build();
        return create(request, jobId).job();
    }

    /** The template a job's request named, as its {@code created} event recorded it (the job's own field holds the
     * template that ran, configured or not). */
    private @Nullable Long templateOverrideOf(String jobId) {
        return ctx.repository().events(jobId).stream()
                .filter(e -> e.type() == JobEventType.CREATED && e.data().get(TEMPLATE_OVERRIDE) instanceof Number)
                .map(e -> ((Number) e.data().get(TEMPLATE_OVERRIDE)).longValue())
                .findFirst().orElse(null);
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#acceptCallback(String, String, CallbackReport)
     */
    public void acceptCallback(String jobId, @Nullable String token, CallbackReport report) {
        if (available(() -> callbacks.accept(jobId, token, report))) {
            engine.pollSoonAfterCallback(jobId);
        }
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#isCallbackTokenValid(String, String)
     */
    public boolean isCallbackTokenValid(String jobId, @Nullable String token) {
        return callbacks.isTokenValid(jobId, token);
    }

    /**
     * @param jobId a job
     * @return the job token its playbook presents on callback
     * @throws IllegalStateException when callbacks are not configured
     */
    public String callbackToken(String jobId) {
        return callbacks.tokenFor(jobId);
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#job(String)
     */
    public Optional<ProvisioningJob> job(String jobId) {
        return available(() -> ctx.repository().find(jobId).map(StoredJob::job));
    }

    /**
     * @param query which jobs
     * @param page from 1
     * @param pageSize 1 to the maximum page size
     * @return the matching jobs across tenants, newest first
     */
    public JobPage findJobs(JobQuery query, int page, int pageSize) {
        checkPage(page, pageSize);
        return available(() -> ctx.repository().search(query, page, pageSize));
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#jobs(String, int, int)
     */
    public JobPage jobs(String tenantId, int page, int pageSize) {
        checkPage(page, pageSize);
        return available(() -> ctx.repository().page(tenantId, page, pageSize));
    }

    /** @throws InvalidRequestException naming {@code page} and {@code page_size} when out of range */
    private static void checkPage(int page, int pageSize) {
        FieldErrors errors = new FieldErrors();
        if (page < 1) {
            errors.add("page", "must be at least 1");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            errors.add("page_size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        errors.throwIfAny();
    }

    /**
     * @see com.dotmac.provisioning.TenantProvisioner#events(String)
     */
    public List<JobEvent> events(String jobId) {
        return available(() -> {
            find(jobId);
            return ctx.repository().events(jobId);
        });
    }

    private StoredJob find(String jobId) {
        return ctx.repository().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
    }
}
