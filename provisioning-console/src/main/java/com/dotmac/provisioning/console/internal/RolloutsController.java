package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.spring.web.ApiAction;
import com.dotmac.provisioning.spring.web.ApiCaller;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/**
 * The rollouts list and a rollout's page (progress per status, the current wave, why it is paused) with Pause,
 * Resume and Abort behind a confirmation for callers who may steer rollouts. Thread-safe.
 */
@Controller
@RequestMapping("${provisioning.console.base-path:/provisioning-console}")
class RolloutsController {
    private static final int ROLLOUTS_PER_PAGE = 20;
    private static final int MEMBERS_SHOWN = 100;

    private final TenantProvisioner provisioner;
    private final ConsoleAccess access;
    private final ConsoleSettings settings;

    /**
     * @param provisioner the library (with a rollout repository, or the pages say rollouts are not configured)
     * @param access who may look and steer
     * @param settings the console's settings
     */
    RolloutsController(TenantProvisioner provisioner, ConsoleAccess access, ConsoleSettings settings) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.access = Objects.requireNonNull(access, "access");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param page the page, from 1
     * @param model the page's model
     * @return the rollouts list, or a page saying rollouts are not configured
     */
    @GetMapping("/rollouts")
    public String rollouts(@RequestParam(defaultValue = "1") int page, Model model) {
        access.require(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        Rollouts rollouts = rolloutsOrNull();
        model.addAttribute("configured", rollouts != null);
        if (rollouts != null) {
            var found = rollouts.page(Math.max(1, page), ROLLOUTS_PER_PAGE);
            model.addAttribute("rollouts", found);
            model.addAttribute("pages", ConsoleFormat.pages(found.total(), ROLLOUTS_PER_PAGE));
        }
        return "provisioning-console/rollouts";
    }

    /**
     * @param id the rollout
     * @param model the page's model
     * @return the rollout's page
     * @throws RolloutNotFoundException when there is no such rollout (a 404)
     */
    @GetMapping("/rollouts/{id}")
    public String rollout(@PathVariable String id, Model model) {
        describe(id, model);
        return "provisioning-console/rollout";
    }

    /**
     * @param id the rollout
     * @param model the fragment's model
     * @return the rollout page's live part, which the page's script polls
     */
    @GetMapping("/rollouts/{id}/live")
    public String live(@PathVariable String id, Model model) {
        describe(id, model);
        return "provisioning-console/rollout :: live";
    }

    /**
     * @param id the rollout
     * @param action {@code pause}, {@code resume} or {@code abort}
     * @param model the page's model
     * @return the confirmation page (a POST form carrying the host's CSRF token)
     */
    @GetMapping("/rollouts/{id}/{action:pause|resume|abort}")
    public String confirm(@PathVariable String id, @PathVariable String action, Model model) {
        access.require(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        model.addAttribute("rollout", find(id));
        model.addAttribute("action", action);
        return "provisioning-console/rollout-confirm";
    }

    /**
     * @param id the rollout
     * @param action {@code pause}, {@code resume} or {@code abort}
     * @param failed on resume: {@code retry} or {@code skip} the failed members
     * @param cancelRunning on abort: whether the members' running jobs are cancelled too
     * @return a redirect to the rollout's page
     */
    @PostMapping("/rollouts/{id}/{action:pause|resume|abort}")
    public String steer(@PathVariable String id, @PathVariable String action,
            @RequestParam(defaultValue = "skip") String failed,
            @RequestParam(name = "cancel_running", defaultValue = "false") boolean cancelRunning) {
        ApiCaller caller = access.require(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        Rollouts rollouts = provisioner.rollouts();
        switch (action) {
            case "pause" -> rollouts.pause(id, caller.name());
            case "resume" -> rollouts.resume(id, caller.name(), "retry".equals(failed)
                    ? Rollouts.FailedMembers.RETRY : Rollouts.FailedMembers.SKIP);
            default -> rollouts.abort(id, caller.name(), cancelRunning);
        }
        return "redirect:" + settings.base() + "/rollouts/" + UriUtils.encodePathSegment(id, StandardCharsets.UTF_8);
    }

    private void describe(String id, Model model) {
        access.require(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        Rollout rollout = find(id);
        Rollouts rollouts = provisioner.rollouts();
        boolean steer = access.may(ApiAction.STEER_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        model.addAttribute("rollout", rollout);
        model.addAttribute("memberStatuses", List.of(RolloutMemberStatus.values()));
        model.addAttribute("members", rollouts.members(id, null, 1, MEMBERS_SHOWN));
        model.addAttribute("events", rollouts.events(id));
        model.addAttribute("canPause", steer && rollout.status() == RolloutStatus.RUNNING);
        model.addAttribute("canResume", steer && rollout.status() == RolloutStatus.PAUSED);
        model.addAttribute("canAbort", steer && (rollout.status() == RolloutStatus.RUNNING
                || rollout.status() == RolloutStatus.PAUSED));
    }

    private Rollout find(String id) {
        return provisioner.rollouts().find(id).orElseThrow(() -> new RolloutNotFoundException(id));
    }

    private @org.jspecify.annotations.Nullable Rollouts rolloutsOrNull() {
        try {
            return provisioner.rollouts();
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
