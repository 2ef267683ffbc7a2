package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spring.web.ApiAction;
import com.dotmac.provisioning.spring.web.ApiCaller;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/**
 * The jobs list (filtered, paginated), a job's page with its live part, and Cancel and Retry behind a confirmation.
 * Actions need the write authority; without it the pages show no buttons and the endpoints refuse. Thread-safe.
 */
@Controller
@RequestMapping("${provisioning.console.base-path:/provisioning-console}")
class JobsController {
    private final TenantProvisioner provisioner;
    private final ConsoleAccess access;
    private final ConsoleSettings settings;
    private final Clock clock;

    /**
     * @param provisioner the library
     * @param access who may look and act
     * @param settings the console's settings
     * @param clock the time the list's time filter counts back from
     */
    JobsController(TenantProvisioner provisioner, ConsoleAccess access, ConsoleSettings settings, Clock clock) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.access = Objects.requireNonNull(access, "access");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The list's time filter: when jobs were created, counted back from now. */
    public enum Created {
        /** In the last hour. */
        LAST_HOUR("1h", "in the last hour", Duration.ofHours(1), true),
        /** In the last 24 hours. */
        LAST_DAY("24h", "in the last 24 h", Duration.ofHours(24), true),
        /** In the last 7 days. */
        LAST_WEEK("7d", "in the last 7 days", Duration.ofDays(7), true),
        /** Before the last 24 hours. */
        OLDER_THAN_A_DAY("older-24h", "more than 24 h ago", Duration.ofHours(24), false);

        private final String value;
        private final String label;
        private final Duration back;
        private final boolean since;

        Created(String value, String label, Duration back, boolean since) {
            this.value = value;
            this.label = label;
            this.back = back;
            this.since = since;
        }

        /** @return the form's value, e.g. {@code 24h} */
        public String value() {
            return value;
        }

        /** @return what people read */
        public String label() {
            return label;
        }

        /**
         * @param value a form value, or null
         * @return the preset, or null for no time filter
         * @throws IllegalArgumentException when the value is not one of the presets (a 400)
         */
        static @Nullable Created of(@Nullable String value) {
            if (value == null) {
                return null;
            }
            for (Created c : values()) {
                if (c.value.equals(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("created must be one of 1h, 24h, 7d, older-24h");
        }
    }

    /**
     * The list's filter, as the form sent it (empty fields are no filter).
     *
     * @param tenant a tenant id, or null
     * @param status a job status wire name, or null
     * @param operation an operation wire name, or null
     * @param errorCode an error code, or null
     * @param created a {@link Created} preset's value, or null
     */
    public record Filter(@Nullable String tenant, @Nullable String status, @Nullable String operation,
            @Nullable String errorCode, @Nullable String created) {
        /** Turns blank fields into null. */
        public Filter {
            tenant = blankToNull(tenant);
            status = blankToNull(status);
            operation = blankToNull(operation);
            errorCode = blankToNull(errorCode);
            created = blankToNull(created);
        }

        /**
         * @param now the time the time filter counts back from
         * @return the query
         * @throws IllegalArgumentException when a value is not a known one
         */
        JobQuery query(Instant now) {
            Created window = Created.of(created);
            Instant bound = window == null ? null : now.minus(window.back);
            return new JobQuery(tenant, status == null ? null : JobStatus.fromWire(status),
                    operation == null ? null : Operation.fromWire(operation), errorCode,
                    window != null && window.since ? bound : null, window != null && !window.since ? bound : null,
                    null);
        }
    }

    /**
     * @param tenant filter
     * @param status filter
     * @param operation filter
     * @param errorCode filter
     * @param created filter: a {@link Created} preset's value
     * @param page the page, from 1
     * @param model the page's model
     * @return the jobs list
     * @throws IllegalArgumentException when a status or operation is not one of the known ones (a 400)
     */
    @GetMapping("/jobs")
    public String jobs(@RequestParam(required = false) @Nullable String tenant,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String operation,
            @RequestParam(name = "error_code", required = false) @Nullable String errorCode,
            @RequestParam(required = false) @Nullable String created,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Filter filter = new Filter(tenant, status, operation, errorCode, created);
        String filteredTenant = filter.tenant();
        access.require(ApiAction.READ, filteredTenant == null ? ProvisioningAccessPolicy.FLEET : filteredTenant);
        JobPage jobs = provisioner.findJobs(filter.query(clock.instant()), Math.max(1, page), settings.pageSize());
        model.addAttribute("filter", filter);
        model.addAttribute("jobs", jobs);
        model.addAttribute("pages", ConsoleFormat.pages(jobs.total(), settings.pageSize()));
        model.addAttribute("statuses", List.of(JobStatus.values()));
        model.addAttribute("operations", List.of(Operation.values()));
        model.addAttribute("createdChoices", List.of(Created.values()));
        return "provisioning-console/jobs";
    }

    /**
     * @param id the job
     * @param model the page's model
     * @return the job's page
     * @throws JobNotFoundException when there is no such job (a 404)
     */
    @GetMapping("/jobs/{id}")
    public String job(@PathVariable String id, Model model) {
        describe(id, model);
        return "provisioning-console/job";
    }

    /**
     * @param id the job
     * @param model the fragment's model
     * @return the job page's live part (status, failure, timeline, buttons), which the page's script polls
     */
    @GetMapping("/jobs/{id}/live")
    public String live(@PathVariable String id, Model model) {
        describe(id, model);
        return "provisioning-console/job :: live";
    }

    /**
     * @param id the job
     * @param action {@code cancel} or {@code retry}
     * @param model the page's model
     * @return the confirmation page of the action (a POST form carrying the host's CSRF token)
     */
    @GetMapping("/jobs/{id}/{action:cancel|retry}")
    public String confirm(@PathVariable String id, @PathVariable String action, Model model) {
        ProvisioningJob job = find(id);
        access.require("cancel".equals(action) ? ApiAction.CANCEL : ApiAction.RETRY, job.tenantId());
        model.addAttribute("job", job);
        model.addAttribute("action", action);
        return "provisioning-console/job-confirm";
    }

    /**
     * @param id the job
     * @param reason why, or null
     * @return a redirect to the job's page
     */
    @PostMapping("/jobs/{id}/cancel")
    public String cancel(@PathVariable String id, @RequestParam(required = false) @Nullable String reason) {
        ProvisioningJob job = find(id);
        ApiCaller caller = access.require(ApiAction.CANCEL, job.tenantId());
        provisioner.cancel(id, caller.name(), blankToNull(reason));
        return "redirect:" + jobPath(id);
    }

    /**
     * @param id the job to repeat
     * @return a redirect to the new job's page
     */
    @PostMapping("/jobs/{id}/retry")
    public String retry(@PathVariable String id) {
        ProvisioningJob job = find(id);
        ApiCaller caller = access.require(ApiAction.RETRY, job.tenantId());
        return "redirect:" + jobPath(provisioner.retry(id, caller.name()).id());
    }

    private void describe(String id, Model model) {
        ProvisioningJob job = find(id);
        ApiCaller caller = access.require(ApiAction.READ, job.tenantId());
        model.addAttribute("job", job);
        model.addAttribute("events", provisioner.events(id));
        model.addAttribute("showProfile", caller.seesConnectionProfiles());
        model.addAttribute("canCancel", job.isActive() && access.may(ApiAction.CANCEL, job.tenantId()));
        model.addAttribute("canRetry", job.status().isTerminal() && job.status() != JobStatus.SUCCEEDED
                && access.may(ApiAction.RETRY, job.tenantId()));
        model.addAttribute("awxLink", settings.awxJobLink(job.runId()));
    }

    /**
     * @param id a job id
     * @return the job, when the caller may read its tenant
     * @throws JobNotFoundException when there is no such job, or when the caller may not read its tenant: the same
     *     answer, so the console does not tell who may not look which jobs exist
     */
    private ProvisioningJob find(String id) {
        ProvisioningJob job = provisioner.job(id).orElse(null);
        if (job == null || !access.may(ApiAction.READ, job.tenantId())) {
            throw new JobNotFoundException(id);
        }
        return job;
    }

    private String jobPath(String id) {
        return settings.base() + "/jobs/" + UriUtils.encodePathSegment(id, java.nio.charset.StandardCharsets.UTF_8);
    }

    static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
