package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.JobQuery;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spi.RunnerHealth;
import com.dotmac.provisioning.spring.web.ApiAction;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** The overview page: counts, runs in flight against the cap, recent failures, the runner's health. Thread-safe. */
@Controller
@RequestMapping("${provisioning.console.base-path:/provisioning-console}")
class OverviewController {
    private static final int RECENT_FAILURES = 20;

    private final TenantProvisioner provisioner;
    private final ConsoleAccess access;
    private final Clock clock;

    /**
     * @param provisioner the library
     * @param access who may look
     * @param clock the time "the last 24 h" counts back from
     */
    OverviewController(TenantProvisioner provisioner, ConsoleAccess access, Clock clock) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.access = Objects.requireNonNull(access, "access");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What the overview shows.
     *
     * @param byStatus jobs per status (wire name), every status present
     * @param byOperation jobs per operation (wire name), every operation present
     * @param runsInFlight runs launched and not ended
     * @param maxRuns the cap on runs in flight
     * @param recentFailures jobs that failed in the last 24 h (by when they failed), newest first (at most 20)
     * @param recentFailureTotal how many there are in all
     * @param health the runner's health (e.g. AWX), checked now
     */
    public record Overview(Map<String, Long> byStatus, Map<String, Long> byOperation, long runsInFlight, int maxRuns,
            List<ProvisioningJob> recentFailures, long recentFailureTotal, RunnerHealth health) {
    }

    /**
     * @param model the page's model
     * @return the overview page
     * @throws com.dotmac.provisioning.spring.web.ApiAccessException when the caller may not read every tenant
     */
    @GetMapping({"", "/"})
    public String overview(Model model) {
        access.require(ApiAction.READ, ProvisioningAccessPolicy.FLEET);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (JobStatus s : JobStatus.values()) {
            byStatus.put(s.wireName(), provisioner.findJobs(new JobQuery(null, s, null, null, null), 1, 1).total());
        }
        Map<String, Long> byOperation = new LinkedHashMap<>();
        for (Operation o : Operation.values()) {
            byOperation.put(o.wireName(),
                    provisioner.findJobs(new JobQuery(null, null, o, null, null), 1, 1).total());
        }
        Instant since = clock.instant().minus(Duration.ofHours(24));
        var failures = provisioner.findJobs(new JobQuery(null, JobStatus.FAILED, null, null, null, null, since), 1,
                RECENT_FAILURES);
        model.addAttribute("overview", new Overview(byStatus, byOperation,
                provisioner.repository().countRunsInFlight(), provisioner.settings().maxConcurrentRuns(),
                failures.items(), failures.total(), health()));
        model.addAttribute("since", since);
        return "provisioning-console/overview";
    }

    private RunnerHealth health() {
        try {
            return provisioner.runner().health();
        } catch (RuntimeException e) {
            return RunnerHealth.unhealthy("the runner's health check failed", List.of(String.valueOf(e.getMessage())));
        }
    }
}
