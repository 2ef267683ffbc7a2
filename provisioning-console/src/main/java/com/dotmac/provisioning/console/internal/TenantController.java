package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.JobPage;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spring.web.ApiAction;
import java.util.Objects;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** A tenant's page: its jobs over time, newest first. Thread-safe. */
@Controller
@RequestMapping("${provisioning.console.base-path:/provisioning-console}")
class TenantController {
    private final TenantProvisioner provisioner;
    private final ConsoleAccess access;
    private final ConsoleSettings settings;

    /**
     * @param provisioner the library
     * @param access who may look
     * @param settings the console's settings
     */
    TenantController(TenantProvisioner provisioner, ConsoleAccess access, ConsoleSettings settings) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.access = Objects.requireNonNull(access, "access");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param tenantId the tenant
     * @param page the page, from 1
     * @param model the page's model
     * @return the tenant's page
     */
    @GetMapping("/tenants/{tenantId}")
    public String tenant(@PathVariable String tenantId, @RequestParam(defaultValue = "1") int page, Model model) {
        access.require(ApiAction.READ, tenantId);
        JobPage jobs = provisioner.jobs(tenantId, Math.max(1, page), settings.pageSize());
        model.addAttribute("tenantId", tenantId);
        model.addAttribute("jobs", jobs);
        model.addAttribute("pages", ConsoleFormat.pages(jobs.total(), settings.pageSize()));
        return "provisioning-console/tenant";
    }
}
