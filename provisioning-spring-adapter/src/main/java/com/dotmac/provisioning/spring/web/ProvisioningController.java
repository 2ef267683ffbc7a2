package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.InvalidCallbackTokenException;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.internal.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The provisioning REST API (README "REST API"), under {@code provisioning.web.base-path} (default {@code /api/v1}).
 * Every call is authorised by the {@link ProvisioningAccessPolicy} for its action and tenant (connection profiles are
 * shown only to callers who may change the tenant's jobs); the callback by the job's token only.
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
     * {@code Idempotency-Key} returns the first job (200).
     */
    @PostMapping
    public ResponseEntity<String> create(@PathVariable("tenant_id") String tenantId,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            HttpServletRequest http) throws IOException {
        ApiCaller caller = access.authorize(ApiAction.REQUEST, tenantId);
        ProvisioningRequest request = JobJson.request(RequestBodies.read(http), tenantId, idempotencyKey,
                caller.name(), provisioner.requestVariables());
        boolean replay = idempotencyKey != null && provisioner.repository()
                .findByIdempotencyKey(tenantId, idempotencyKey).isPresent();
        ProvisioningJob job = provisioner.request(request);
        return created(job, caller, replay ? HttpStatus.OK : HttpStatus.CREATED);
    }

    /** {@code GET /tenants/{tenant_id}/provisioning/jobs?page=&page_size=}: {@code {items, total}}, newest first. */
    @GetMapping
    public ResponseEntity<String> list(@PathVariable("tenant_id") String tenantId,
            @RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "page_size", required = false) @Nullable String pageSize) {
        ApiCaller caller = access.authorize(ApiAction.READ, tenantId);
        FieldErrors errors = new FieldErrors();
        int p = intParam("page", page, 1, errors);
        int size = intParam("page_size", pageSize, DEFAULT_PAGE_SIZE, errors);
        errors.throwIfAny();
        return ProblemResponses.json(HttpStatus.OK, JobJson.page(provisioner.jobs(tenantId, p, size),
                caller.seesConnectionProfiles()));
    }

    /** {@code GET /tenants/{tenant_id}/provisioning/jobs/{job_id}}: the job, or 404. */
    @GetMapping("/{job_id}")
    public ResponseEntity<String> get(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId) {
        ApiCaller caller = access.authorize(ApiAction.READ, tenantId);
        return ProblemResponses.json(HttpStatus.OK, JobJson.job(jobOf(tenantId, jobId),
                caller.seesConnectionProfiles()));
    }

    /** {@code GET /tenants/{tenant_id}/provisioning/jobs/{job_id}/events}: the job's timeline, oldest first. */
    @GetMapping("/{job_id}/events")
    public ResponseEntity<String> events(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId) {
        access.authorize(ApiAction.READ, tenantId);
        jobOf(tenantId, jobId);
        return ProblemResponses.json(HttpStatus.OK, JobJson.events(jobId, provisioner.events(jobId)));
    }

    /** {@code POST .../{job_id}/cancel} (optional body {@code {"reason": "..."}}): 202 with the job. */
    @PostMapping("/{job_id}/cancel")
    public ResponseEntity<String> cancel(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId, HttpServletRequest http) throws IOException {
        ApiCaller caller = access.authorize(ApiAction.CANCEL, tenantId);
        String reason = JobJson.cancelReason(RequestBodies.read(http));
        jobOf(tenantId, jobId);
        return ProblemResponses.json(HttpStatus.ACCEPTED, JobJson.job(provisioner.cancel(jobId, caller.name(), reason),
                caller.seesConnectionProfiles()));
    }

    /** {@code POST .../{job_id}/retry}: 201 with the new job. */
    @PostMapping("/{job_id}/retry")
    public ResponseEntity<String> retry(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId) {
        ApiCaller caller = access.authorize(ApiAction.RETRY, tenantId);
        jobOf(tenantId, jobId);
        return created(provisioner.retry(jobId, caller.name()), caller, HttpStatus.CREATED);
    }

    /**
     * {@code POST .../{job_id}/callback} with {@code Authorization: Bearer <job token>}: 204. The token is checked
     * before anything else is revealed.
     */
    @PostMapping("/{job_id}/callback")
    public ResponseEntity<String> callback(@PathVariable("tenant_id") String tenantId,
            @PathVariable("job_id") String jobId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            HttpServletRequest http) throws IOException {
        String token = bearerToken(authorization);
        if (!provisioner.isCallbackTokenValid(jobId, token)) {
            throw new InvalidCallbackTokenException();
        }
        jobOf(tenantId, jobId);
        CallbackReport report = JobJson.callback(RequestBodies.read(http), tenantId, jobId);
        provisioner.acceptCallback(jobId, token, report);
        return ResponseEntity.noContent().build();
    }

    private ProvisioningJob jobOf(String tenantId, String jobId) {
        return provisioner.job(jobId).filter(j -> j.tenantId().equals(tenantId))
                .orElseThrow(() -> new JobNotFoundException(jobId));
    }

    private ResponseEntity<String> created(ProvisioningJob job, ApiCaller caller, HttpStatus status) {
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path(basePath).path("/tenants/{tenant_id}/provisioning/jobs/{job_id}")
                .buildAndExpand(job.tenantId(), job.id()).toUri();
        return ResponseEntity.status(status).location(location).contentType(MediaType.APPLICATION_JSON)
                .body(Json.write(JobJson.job(job, caller.seesConnectionProfiles())));
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
