package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.InvalidCallbackTokenException;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.Submission;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.spring.web.dto.CallbackRequestBody;
import com.dotmac.provisioning.spring.web.dto.CancelRequestBody;
import com.dotmac.provisioning.spring.web.dto.JobEventsResponse;
import com.dotmac.provisioning.spring.web.dto.JobPageResponse;
import com.dotmac.provisioning.spring.web.dto.JobResponse;
import com.dotmac.provisioning.spring.web.dto.ProvisioningRequestBody;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The provisioning REST API (README "REST API"), under {@code provisioning.web.base-path} (default {@code /api/v1}).
 * Bodies are the records of {@link com.dotmac.provisioning.spring.web.dto}, read and written by
 * {@link ApiJsonConverter}; errors are mapped by {@link ProvisioningExceptionHandler}. Every call is authorised by
 * the {@link ProvisioningAccessPolicy} for its action and tenant (connection profiles are shown only to callers who
 * may change the tenant's jobs); the callback by the job's token only. A body's shape (JSON syntax, unknown fields,
 * types) is checked as it is read, before the call is authorised; nothing is stored or revealed by that check.
 * Thread-safe.
 */
@RestController
@RequestMapping("${provisioning.web.base-path:" + ProvisioningController.DEFAULT_BASE_PATH
        + "}/tenants/{tenant_id}/provisioning/jobs")
public class ProvisioningController {
    /** Default base path of the API ({@code provisioning.web.base-path}): {@value}. */
    public static final String DEFAULT_BASE_PATH = "/api/v1";

    private static final int DEFAULT_PAGE_SIZE = 20;

    private final TenantProvisioner provisioner;
    private final ProvisioningAccessPolicy access;
    private final String basePath;

    /**
     * @param provisioner the library
     * @param access who may read and write
     * @param basePath the API's base path (for {@code Location} headers), e.g. {@code /api/v1}
     */
    public ProvisioningController(TenantProvisioner provisioner, ProvisioningAccessPolicy access, String basePath) {
        this.provisioner = provisioner;
        this.access = access;
        this.basePath = basePath;
    }

    /**
     * {@code POST /tenants/{tenant_id}/provisioning/jobs}: 201 with the new job and its {@code Location}; the same
     * {@code Idempotency-Key} returns the first job (200), also to a request made at the same moment: the status
     * says what this call did ({@link Submission#created()}), not what a read before it saw.
     *
     * @param tenantId the tenant
     * @param idempotencyKey makes a repeated request return the first job
     * @param body what is requested
     * @return the job
     * @throws com.dotmac.provisioning.InvalidRequestException naming every bad field (400)
     */
    @PostMapping
    public ResponseEntity<JobResponse> create(@PathVariable("tenant_id") String tenantId,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            @RequestBody ProvisioningRequestBody body) {
        ApiCaller caller = access.authorize(ApiAction.REQUEST, tenantId);
        ProvisioningRequest request = body.toRequest(tenantId, idempotencyKey, caller.name(),
                provisioner.requestVariables());
        Submission submission = provisioner.submit(request);
        return created(submission.job(), caller, submission.created() ? HttpStatus.CREATED : HttpStatus.OK);
    }

    /**
     * {@code GET /tenants/{tenant_id}/provisioning/jobs?page=&page_size=}: newest first.
     *
     * @param tenantId the tenant
     * @param page the page, from 1 (default 1)
     * @param pageSize the page's size, 1 to 100 (default 20)
     * @return the page with the total
     */
    @GetMapping
    public JobPageResponse list(@PathVariable("tenant_id") String tenantId,
            @RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "page_size", required = false) @Nullable String pageSize) {
        ApiCaller caller = access.authorize(ApiAction.READ, tenantId);
        FieldErrors errors = new FieldErrors();
        int p = intParam("page", page, 1, errors);
        int size = intParam("page_size", pageSize, DEFAULT_PAGE_SIZE, errors);
        errors.throwIfAny();
        return JobPageResponse.of(provisioner.jobs(tenantId, p, size), caller.seesConnectionProfiles());
    }

    /**
     * {@code GET /tenants/{tenant_id}/provisioning/jobs/{job_id}}.
     *
     * @param tenantId the tenant
     * @param jobId the job
     * @return the job
     * @throws JobNotFoundException when the tenant has no such job (404)
     */
    @GetMapping("/{job_id}")
    public JobResponse get(@PathVariable("tenant_id") String tenantId, @PathVariable("job_id") String jobId) {
        ApiCaller caller = access.authorize(ApiAction.READ, tenantId);
        return JobResponse.of(jobOf(tenantId, jobId), caller.seesConnectionProfiles());
    }

    /**
     * {@code GET /tenants/{tenant_id}/provisioning/jobs/{job_id}/events}.
     *
     * @param tenantId the tenant
     * @param jobId the job
     * @return the job's timeline, oldest first
     * @throws JobNotFoundException when the tenant has no such job (404)
     */
    @GetMapping("/{job_id}/events")
    public JobEventsResponse events(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId) {
        access.authorize(ApiAction.READ, tenantId);
        jobOf(tenantId, jobId);
        return JobEventsResponse.of(jobId, provisioner.events(jobId));
    }

    /**
     * {@code POST .../{job_id}/cancel} with an optional body {@code {"reason": "..."}}: 202.
     *
     * @param tenantId the tenant
     * @param jobId the job
     * @param body the reason, if any
     * @return the job
     * @throws JobNotFoundException when the tenant has no such job (404)
     */
    @PostMapping("/{job_id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public JobResponse cancel(@PathVariable("tenant_id") String tenantId, @PathVariable("job_id") String jobId,
            @RequestBody(required = false) @Nullable CancelRequestBody body) {
        ApiCaller caller = access.authorize(ApiAction.CANCEL, tenantId);
        jobOf(tenantId, jobId);
        return JobResponse.of(provisioner.cancel(jobId, caller.name(), body == null ? null : body.reason()),
                caller.seesConnectionProfiles());
    }

    /**
     * {@code POST .../{job_id}/retry}: 201.
     *
     * @param tenantId the tenant
     * @param jobId the job to retry
     * @return the new job and its {@code Location}
     * @throws JobNotFoundException when the tenant has no such job (404)
     */
    @PostMapping("/{job_id}/retry")
    public ResponseEntity<JobResponse> retry(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId) {
        ApiCaller caller = access.authorize(ApiAction.RETRY, tenantId);
        jobOf(tenantId, jobId);
        return created(provisioner.retry(jobId, caller.name()), caller, HttpStatus.CREATED);
    }

    /**
     * {@code POST .../{job_id}/callback} with {@code Authorization: Bearer <job token>}: 204. The token is checked
     * before anything about the job is revealed.
     *
     * @param tenantId the tenant
     * @param jobId the job
     * @param authorization the {@code Authorization} header
     * @param body the playbook's report, if any
     * @return no content
     * @throws InvalidCallbackTokenException when the token is not the job's (401)
     */
    @PostMapping("/{job_id}/callback")
    public ResponseEntity<Void> callback(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestBody(required = false) @Nullable CallbackRequestBody body) {
        String token = bearerToken(authorization);
        if (!provisioner.isCallbackTokenValid(jobId, token)) {
            throw new InvalidCallbackTokenException();
        }
        jobOf(tenantId, jobId);
        provisioner.acceptCallback(jobId, token, CallbackRequestBody.toReport(body, tenantId, jobId));
        return ResponseEntity.noContent().build();
    }

    private ProvisioningJob jobOf(String tenantId, String jobId) {
        return provisioner.job(jobId).filter(j -> j.tenantId().equals(tenantId))
                .orElseThrow(() -> new JobNotFoundException(jobId));
    }

    private ResponseEntity<JobResponse> created(ProvisioningJob job, ApiCaller caller, HttpStatus status) {
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path(basePath).path("/tenants/{tenant_id}/provisioning/jobs/{job_id}")
                .buildAndExpand(job.tenantId(), job.id()).toUri();
        return ResponseEntity.status(status).location(location)
                .body(JobResponse.of(job, caller.seesConnectionProfiles()));
    }

    private static @Nullable String bearerToken(@Nullable String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private static int intParam(String name, @Nullable String value, int fallback, FieldErrors errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            errors.add(name, "must be an integer");
            return fallback;
        }
    }
}
