package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.rollout.RolloutSubmission;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.rules.FieldErrors;
import com.dotmac.provisioning.rules.WireNames;
import com.dotmac.provisioning.spring.web.dto.AbortRolloutBody;
import com.dotmac.provisioning.spring.web.dto.ResumeRolloutBody;
import com.dotmac.provisioning.spring.web.dto.RolloutEventsResponse;
import com.dotmac.provisioning.spring.web.dto.RolloutPageResponse;
import com.dotmac.provisioning.spring.web.dto.RolloutRequestBody;
import com.dotmac.provisioning.spring.web.dto.RolloutResponse;
import com.dotmac.provisioning.spring.web.dto.RolloutTenantsResponse;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The rollouts of the REST API (README "Rollouts"), under {@code provisioning.web.base-path} (default
 * {@code /api/v1}): start one, list them, read one with its tenants' counts, its tenants and its timeline, pause,
 * resume and abort it. Bodies and errors as for {@link ProvisioningController} (snake_case, strict reading,
 * problem+json naming every bad field). A rollout acts on many tenants: every call is authorised for
 * {@link ProvisioningAccessPolicy#FLEET} ({@link ApiAction#READ_ROLLOUTS} needs the read authority,
 * {@link ApiAction#STEER_ROLLOUTS} the write authority). Thread-safe.
 */
@RestController
@RequestMapping("${provisioning.web.base-path:" + ProvisioningController.DEFAULT_BASE_PATH
        + "}/provisioning/rollouts")
public class RolloutController {
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int DEFAULT_TENANT_PAGE_SIZE = 100;

    private final TenantProvisioner provisioner;
    private final ProvisioningAccessPolicy access;
    private final String basePath;

    /**
     * @param provisioner the library, with a rollout repository (else the endpoints answer 501)
     * @param access who may read and write
     * @param basePath the API's base path (for {@code Location} headers), e.g. {@code /api/v1}
     */
    public RolloutController(TenantProvisioner provisioner, ProvisioningAccessPolicy access, String basePath) {
        this.provisioner = provisioner;
        this.access = access;
        this.basePath = basePath;
    }

    /**
     * {@code POST /provisioning/rollouts}: 201 with the rollout ({@code running}) and its {@code Location}; its
     * first tenants start at the next sweep. The same {@code Idempotency-Key} returns the first rollout (200), also
     * to a request made at the same moment, so a request whose answer was lost can be made again safely.
     *
     * @param idempotencyKey makes a repeated request return the first rollout
     * @param body what to roll out, to whom, and how
     * @return the rollout
     * @throws com.dotmac.provisioning.InvalidRequestException naming every bad field, unknown tenants listed (400);
     *     nothing is stored
     */
    @PostMapping
    public ResponseEntity<RolloutResponse> create(
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            @RequestBody RolloutRequestBody body) {
        ApiCaller caller = access.authorize(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        RolloutSubmission submission = rollouts().submit(body.toRequest(caller.name(), idempotencyKey));
        Rollout rollout = submission.rollout();
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path(basePath)
                .path("/provisioning/rollouts/{rollout_id}").buildAndExpand(rollout.id()).toUri();
        return ResponseEntity.status(submission.created() ? HttpStatus.CREATED : HttpStatus.OK).location(location)
                .body(RolloutResponse.of(rollout));
    }

    /**
     * {@code GET /provisioning/rollouts?page=&page_size=}: newest first.
     *
     * @param page the page, from 1 (default 1)
     * @param pageSize the page's size, 1 to 100 (default 20)
     * @return the page with the total
     */
    @GetMapping
    public RolloutPageResponse list(@RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "page_size", required = false) @Nullable String pageSize) {
        access.authorize(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        FieldErrors errors = new FieldErrors();
        int p = intParam("page", page, 1, errors);
        int size = intParam("page_size", pageSize, DEFAULT_PAGE_SIZE, errors);
        errors.throwIfAny();
        return RolloutPageResponse.of(rollouts().page(p, size));
    }

    /**
     * {@code GET /provisioning/rollouts/{rollout_id}}: with its tenants' counts by status, its waves and the current
     * one, and why it is paused.
     *
     * @param rolloutId the rollout
     * @return the rollout
     * @throws RolloutNotFoundException when there is no such rollout (404)
     */
    @GetMapping("/{rollout_id}")
    public RolloutResponse get(@PathVariable("rollout_id") String rolloutId) {
        access.authorize(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        return RolloutResponse.of(rolloutOf(rolloutId));
    }

    /**
     * {@code GET /provisioning/rollouts/{rollout_id}/tenants?status=&page=&page_size=}: in rollout order.
     *
     * @param rolloutId the rollout
     * @param status only tenants in this status ({@code waiting}, {@code started}, {@code succeeded},
     *     {@code failed}, {@code skipped}), or all
     * @param page the page, from 1 (default 1)
     * @param pageSize the page's size, 1 to 1000 (default 100)
     * @return the page, each tenant with its job and failure, and the total
     * @throws RolloutNotFoundException when there is no such rollout (404)
     */
    @GetMapping("/{rollout_id}/tenants")
    public RolloutTenantsResponse tenants(@PathVariable("rollout_id") String rolloutId,
            @RequestParam(name = "status", required = false) @Nullable String status,
            @RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "page_size", required = false) @Nullable String pageSize) {
        access.authorize(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        FieldErrors errors = new FieldErrors();
        RolloutMemberStatus only = null;
        if (status != null && !status.isBlank()) {
            try {
                only = WireNames.parse(RolloutMemberStatus.class, status.trim(), "rollout tenant status");
            } catch (IllegalArgumentException e) {
                errors.add("status", String.valueOf(e.getMessage()));
            }
        }
        int p = intParam("page", page, 1, errors);
        int size = intParam("page_size", pageSize, DEFAULT_TENANT_PAGE_SIZE, errors);
        errors.throwIfAny();
        Rollout rollout = rolloutOf(rolloutId);
        List<RolloutMember> members = rollouts().members(rolloutId, only, p, size);
        long total = only == null ? rollout.memberCount() : rollout.members().getOrDefault(only, 0L);
        return RolloutTenantsResponse.of(rolloutId, members, total, p, size);
    }

    /**
     * {@code GET /provisioning/rollouts/{rollout_id}/events}: every transition, wave and deferred or refused
     * tenant.
     *
     * @param rolloutId the rollout
     * @return its timeline, oldest first
     * @throws RolloutNotFoundException when there is no such rollout (404)
     */
    @GetMapping("/{rollout_id}/events")
    public RolloutEventsResponse events(@PathVariable("rollout_id") String rolloutId) {
        access.authorize(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        return RolloutEventsResponse.of(rolloutId, rollouts().events(rolloutId));
    }

    /**
     * {@code POST .../{rollout_id}/pause}: no new job starts; jobs in flight run to their end.
     *
     * @param rolloutId the rollout
     * @return the rollout, {@code paused}
     * @throws RolloutNotFoundException when there is no such rollout (404)
     * @throws com.dotmac.provisioning.rollout.IllegalRolloutTransitionException when it is not running (409)
     */
    @PostMapping("/{rollout_id}/pause")
    public RolloutResponse pause(@PathVariable("rollout_id") String rolloutId) {
        ApiCaller caller = access.authorize(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        return RolloutResponse.of(rollouts().pause(rolloutId, caller.name()));
    }

    /**
     * {@code POST .../{rollout_id}/resume} with an optional body {@code {"failed": "retry" | "skip"}}: tenants whose
     * job succeeded are never run again; the failed ones are retried (default) or skipped.
     *
     * @param rolloutId the rollout
     * @param body what to do with the failed tenants, if said
     * @return the rollout, {@code running}
     * @throws RolloutNotFoundException when there is no such rollout (404)
     * @throws com.dotmac.provisioning.rollout.IllegalRolloutTransitionException when it is not paused (409)
     * @throws com.dotmac.provisioning.InvalidRequestException naming {@code failed} when it is neither (400)
     */
    @PostMapping("/{rollout_id}/resume")
    public RolloutResponse resume(@PathVariable("rollout_id") String rolloutId,
            @RequestBody(required = false) @Nullable ResumeRolloutBody body) {
        ApiCaller caller = access.authorize(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        Rollouts.FailedMembers failed = Rollouts.FailedMembers.RETRY;
        if (body != null && body.failed() != null) {
            FieldErrors errors = new FieldErrors();
            try {
                failed = WireNames.parse(Rollouts.FailedMembers.class, body.failed(), "choice for failed tenants");
            } catch (IllegalArgumentException e) {
                errors.add("failed", String.valueOf(e.getMessage()));
            }
            errors.throwIfAny();
        }
        return RolloutResponse.of(rollouts().resume(rolloutId, caller.name(), failed));
    }

    /**
     * {@code POST .../{rollout_id}/abort} with an optional body {@code {"cancel_running_jobs": true}}: tenants not
     * started never will; its jobs in flight run to their end, or are cancelled.
     *
     * @param rolloutId the rollout
     * @param body whether to cancel the jobs in flight (default false)
     * @return the rollout, {@code aborting}
     * @throws RolloutNotFoundException when there is no such rollout (404)
     * @throws com.dotmac.provisioning.rollout.IllegalRolloutTransitionException when it ended or is aborting (409)
     */
    @PostMapping("/{rollout_id}/abort")
    public RolloutResponse abort(@PathVariable("rollout_id") String rolloutId,
            @RequestBody(required = false) @Nullable AbortRolloutBody body) {
        ApiCaller caller = access.authorize(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        boolean cancel = body != null && Boolean.TRUE.equals(body.cancelRunningJobs());
        return RolloutResponse.of(rollouts().abort(rolloutId, caller.name(), cancel));
    }

    private Rollout rolloutOf(String rolloutId) {
        return rollouts().find(rolloutId).orElseThrow(() -> new RolloutNotFoundException(rolloutId));
    }

    private Rollouts rollouts() {
        try {
            return provisioner.rollouts();
        } catch (IllegalStateException e) {
            throw new RolloutsUnavailableException();
        }
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
