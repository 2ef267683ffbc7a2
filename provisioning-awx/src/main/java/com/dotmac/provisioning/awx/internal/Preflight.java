package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks that AWX is reachable ({@code ping/}) and that every configured job template accepts what launches send
 * ({@code GET job_templates/{id}/launch/}), in words an operator can act on. A template whose survey guards its
 * variables ({@code survey_enabled} on, {@code ask_variables_on_launch} off) has its survey compared with what the
 * platform sends ({@link SurveyGuard}); a sound guard is named in the summary. Never throws. Thread-safe.
 */
public final class Preflight {
    private final AwxHttp http;
    private final AwxConfig config;
    private final JobTemplates templates;
    private final SurveyGuard surveyGuard;

    /**
     * @param http the transport
     * @param config the runner's configuration
     * @param templates the configured templates
     */
    public Preflight(AwxHttp http, AwxConfig config, JobTemplates templates) {
        this.http = http;
        this.config = config;
        this.templates = templates;
        this.surveyGuard = new SurveyGuard(http, config);
    }

    /** @return reachability, version and configuration problems */
    public RunnerHealth health() {
        List<String> problems = new ArrayList<>();
        String version = reach(problems);
        if (version == null) {
            return RunnerHealth.unhealthy("AWX at " + http.baseUrl() + " is not reachable", problems);
        }
        Map<Long, JobTemplates.TemplateUse> configured = templates.configured(config.organizationId() != null);
        if (configured.isEmpty()) {
            problems.add("no job template is configured: configure one per operation (provision, upgrade,"
                    + " decommission)");
        }
        if (config.organizationId() == null && config.jobTemplateOverrides().values().stream()
                .anyMatch(byMode -> byMode.containsKey(DeploymentMode.CUSTOMER_HOSTED))) {
            problems.add("job templates are configured for customer_hosted, but no AWX organization is: configure"
                    + " the organization id that holds tenants' inventories");
        }
        List<String> notes = new ArrayList<>();
        configured.forEach((id, use) -> checkTemplate(id, use, problems, notes));
        String summary = "AWX " + version + " at " + http.baseUrl() + " (API " + apiPath() + "): "
                + configured.size() + " job template" + (configured.size() == 1 ? "" : "s") + " checked, "
                + (problems.isEmpty() ? "no problems" : problems.size() + " problem" + (problems.size() == 1 ? ""
                        : "s")) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return problems.isEmpty() ? RunnerHealth.healthy(summary) : RunnerHealth.unhealthy(summary, problems);
    }

    private @Nullable String reach(List<String> problems) {
        try {
            HttpUrl ping = http.url("ping/").build();
            JsonNode body = http.expectJson(http.get(ping, "ping AWX"), "ping AWX");
            String version = AwxJson.text(body, "version");
            return version == null ? "(version unknown)" : version;
        } catch (AutomationException e) {
            problems.add("AWX at " + http.baseUrl() + " cannot be reached: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            problems.add("AWX at " + http.baseUrl() + " cannot be checked: " + e.getClass().getSimpleName());
            return null;
        }
    }

    private String apiPath() {
        try {
            return http.api().encodedPath();
        } catch (AutomationException e) {
            return "unknown";
        }
    }

    private void checkTemplate(long id, JobTemplates.TemplateUse use, List<String> problems, List<String> notes) {
        String name = "job template " + id + " (" + use.label() + ")";
        JsonNode launch;
        try {
            AwxResponse response = http.get(http.url("job_templates/" + id + "/launch/").build(),
                    "check job template " + id);
            if (response.code() == 404) {
                problems.add(name + " does not exist in AWX: configure an existing job template");
                return;
            }
            launch = http.expectJson(response, "check job template " + id);
        } catch (AutomationException e) {
            problems.add(name + " could not be checked: " + e.getMessage());
            return;
        }
        if (SurveyGuard.guards(launch)) {
            SurveyGuard.Result guard = surveyGuard.check(id, name, use);
            problems.addAll(guard.problems());
            if (guard.note() != null) {
                notes.add(guard.note());
            }
        } else if (!AwxJson.isTrue(launch, "ask_variables_on_launch")) {
            problems.add(name + ": enable 'Prompt on launch' for Variables (ask_variables_on_launch), otherwise AWX"
                    + " drops the tenant's variables");
        }
        Set<String> alwaysSent = SentVariables.of(use, config.surveyVariables()).alwaysSent();
        List<String> unanswered = texts(launch.get("variables_needed_to_start")).stream()
                .filter(v -> !alwaysSent.contains(v)).toList();
        if (!unanswered.isEmpty()) {
            problems.add(name + ": its survey requires answers the platform does not send (" + String.join(", ",
                    unanswered) + "); make these questions optional or give them defaults");
        }
        if (use.dotmacHosted()) {
            Long inventory = config.dotmacHostedInventoryId();
            if (inventory != null && !AwxJson.isTrue(launch, "ask_inventory_on_launch")) {
                problems.add(name + ": enable 'Prompt on launch' for Inventory (ask_inventory_on_launch), otherwise"
                        + " AWX ignores the dotmac_hosted inventory " + inventory);
            } else if (inventory == null && AwxJson.isTrue(launch, "inventory_needed_to_start")) {
                problems.add(name + " has no inventory: give the template one, or configure the dotmac_hosted"
                        + " inventory id");
            }
            if (AwxJson.isTrue(launch, "credential_needed_to_start")) {
                problems.add(name + " needs a credential at launch: attach a machine credential to the template");
            }
        }
        if (use.customerHosted()) {
            if (!AwxJson.isTrue(launch, "ask_inventory_on_launch")) {
                problems.add(name + ": enable 'Prompt on launch' for Inventory (ask_inventory_on_launch), otherwise"
                        + " AWX ignores customer-hosted tenants' inventories");
            }
            if (!AwxJson.isTrue(launch, "ask_credential_on_launch")) {
                problems.add(name + ": enable 'Prompt on launch' for Credentials (ask_credential_on_launch),"
                        + " otherwise AWX ignores the customer's machine credential");
            }
        }
        List<String> passwords = texts(launch.get("passwords_needed_to_start"));
        if (!passwords.isEmpty()) {
            problems.add(name + ": its credentials ask for passwords at launch (" + String.join(", ", passwords)
                    + "), which the platform cannot give; store them in the credentials");
        }
    }

    private static List<String> texts(@Nullable JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(item -> values.add(AwxMessages.bounded(AwxMessages.oneLine(item.asString(item.toString())),
                    120)));
        }
        return values;
    }
}
