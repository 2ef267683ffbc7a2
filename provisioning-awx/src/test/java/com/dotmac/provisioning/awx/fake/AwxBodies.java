package com.dotmac.provisioning.awx.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the fake's answers from real AWX bodies (test resources under {@code awx/}), changing only the fields
 * that carry the fake's state. Thread-safe (templates are copied before changes).
 */
final class AwxBodies {
    static final JsonMapper MAPPER = new JsonMapper();
    private static final List<String> LIST_EXCLUDED = List.of("job_args", "job_cwd", "job_env", "result_traceback",
            "event_processing_finished");
    private static final String HIDDEN = "$hidden due to Ansible no_log flag$";

    private final ObjectNode jobDetail = load("job_detail_successful.json");
    private final ObjectNode launchAnswer = load("job_launch_response_201_pending.json");
    private final ObjectNode inventory = load("inventory_detail.json");
    private final ObjectNode host = load("host_detail.json");
    private final ObjectNode event = (ObjectNode) load("job_events_page_excerpt.json").path("results").get(0);
    private final String api;

    AwxBodies(String api) {
        this.api = api;
    }

    static ObjectNode load(String name) {
        try (InputStream in = AwxBodies.class.getResourceAsStream("/awx/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource awx/" + name + " is missing");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String time(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
    }

    ObjectNode job(FakeJob job, boolean list) {
        ObjectNode body = jobDetail.deepCopy();
        body.put("id", job.id).put("url", api + "jobs/" + job.id + "/").put("name", job.templateName)
                .put("created", time(job.created)).put("modified", time(job.finished != null ? job.finished
                        : job.created))
                .put("job_template", job.templateId).put("unified_job_template", job.templateId)
                .put("extra_vars", job.extraVarsJson).put("status", job.status)
                .put("failed", job.status.equals("failed") || job.status.equals("error")
                        || job.status.equals("canceled"))
                .put("started", time(job.started)).put("finished", time(job.finished))
                .put("elapsed", job.elapsedSeconds()).put("launch_type", "manual")
                .put("job_explanation", job.isFinal() ? job.script.jobExplanation() : "")
                .put("result_traceback", job.isFinal() ? job.script.resultTraceback() : "")
                .put("event_processing_finished", job.isFinal());
        if (job.inventory == null) {
            body.putNull("inventory");
        } else {
            body.put("inventory", job.inventory);
        }
        ObjectNode related = body.putObject("related");
        for (String rel : List.of("labels", "credentials", "stdout", "job_events", "job_host_summaries",
                "activity_stream", "notifications", "create_schedule", "cancel", "relaunch")) {
            related.put(rel, api + "jobs/" + job.id + "/" + rel + "/");
        }
        related.put("job_template", api + "job_templates/" + job.templateId + "/");
        related.put("unified_job_template", api + "job_templates/" + job.templateId + "/");
        ObjectNode summary = (ObjectNode) body.path("summary_fields");
        summary.putObject("job_template").put("id", job.templateId).put("name", job.templateName).put("description", "");
        if (job.status.equals("successful") || job.status.equals("failed")) {
            if (job.script.hideArtifacts()) {
                body.put("artifacts", HIDDEN);
            } else {
                body.set("artifacts", MAPPER.valueToTree(job.script.artifacts()));
            }
        } else {
            body.putObject("artifacts");
        }
        if (list) {
            LIST_EXCLUDED.forEach(body::remove);
        }
        return body;
    }

    ObjectNode launched(FakeJob job, ObjectNode ignored) {
        ObjectNode body = launchAnswer.deepCopy();
        ObjectNode detail = job(job, false);
        for (String field : List.of("id", "url", "name", "created", "modified", "job_template",
                "unified_job_template", "extra_vars", "status", "inventory", "related")) {
            body.set(field, detail.get(field));
        }
        body.put("job", job.id);
        body.set("ignored_fields", ignored);
        return body;
    }

    ObjectNode workflowLaunched(long workflowJobId, long templateId) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("workflow_job", workflowJobId).putObject("ignored_fields");
        body.put("id", workflowJobId).put("type", "workflow_job")
                .put("url", api + "workflow_jobs/" + workflowJobId + "/").put("status", "pending")
                .put("job_template", templateId).put("is_sliced_job", true);
        return body;
    }

    List<ObjectNode> failedRunEvents(FakeJob job, Instant at) {
        RunScript s = job.script;
        String host = s.failedHost();
        List<ObjectNode> events = new ArrayList<>();
        events.add(event(job, events, "playbook_on_start", "", "", false, null, ""));
        events.add(event(job, events, "playbook_on_play_start", "", "", false, null, ""));
        events.add(event(job, events, "playbook_on_task_start", "Gathering Facts", "", false, null, ""));
        events.add(event(job, events, "runner_on_ok", "Gathering Facts", host, false, null, "ok: [" + host + "]"));
        events.add(event(job, events, "playbook_on_task_start", "Check for an optional package", "", false, null,
                ""));
        ObjectNode ignored = event(job, events, "runner_on_failed", "Check for an optional package", host, false,
                "No package matching 'optional-tools' found", "fatal: [" + host + "]: FAILED! ...ignoring");
        ((ObjectNode) ignored.path("event_data")).put("ignore_errors", true);
        events.add(ignored);
        String task = String.valueOf(s.failedTask());
        events.add(event(job, events, "playbook_on_task_start", task, "", true, null, ""));
        String type = s.unreachable() ? "runner_on_unreachable" : "runner_on_failed";
        String marker = s.unreachable() ? "UNREACHABLE!" : "FAILED!";
        ObjectNode failed = event(job, events, type, task, host, true, s.failureMessage(),
                "\u001b[0;31mfatal: [" + host + "]: " + marker + " => {\"changed\": false, \"msg\": "
                        + MAPPER.valueToTree(s.failureMessage()) + "}\u001b[0m");
        if (s.unreachable()) {
            ((ObjectNode) failed.path("event_data").path("res")).put("unreachable", true);
        }
        events.add(failed);
        ObjectNode stats = event(job, events, "playbook_on_stats", "", "", true, null, "PLAY RECAP");
        ObjectNode data = (ObjectNode) stats.path("event_data");
        data.putObject(s.unreachable() ? "dark" : "failures").put(host, 1);
        data.putObject("ok").put(host, 1);
        events.forEach(e -> e.put("created", time(at)).put("modified", time(at)));
        return events;
    }

    private ObjectNode event(FakeJob job, List<ObjectNode> sofar, String type, String task, String host,
            boolean failed, @Nullable String msg, String stdout) {
        int counter = sofar.size() + 1;
        long id = job.id * 100 + counter;
        ObjectNode e = event.deepCopy();
        e.put("id", id).put("url", api + "job_events/" + id + "/").put("job", job.id).put("event", type)
                .put("counter", counter).put("failed", failed).put("task", task).put("host_name", host)
                .put("stdout", stdout).put("uuid", UUID.randomUUID().toString()).put("playbook", "provision_tenant.yml")
                .put("play", "Provision tenant");
        e.putObject("related").put("job", api + "jobs/" + job.id + "/")
                .put("children", api + "job_events/" + id + "/children/");
        ObjectNode summaryJob = (ObjectNode) e.path("summary_fields").path("job");
        summaryJob.put("id", job.id).put("name", job.templateName).put("status", job.status)
                .put("job_template_id", job.templateId).put("job_template_name", job.templateName);
        ObjectNode data = e.putObject("event_data");
        data.put("playbook", "provision_tenant.yml").put("play", "Provision tenant").put("task", task)
                .put("host", host);
        if (msg != null) {
            data.putObject("res").put("msg", msg).put("changed", false).put("_ansible_no_log", false);
        }
        if (host.isEmpty()) {
            e.putNull("host");
        } else {
            e.put("host", 1);
        }
        return e;
    }

    ObjectNode inventory(long id, String name, long organization, String description, String variables,
            int totalHosts) {
        ObjectNode body = inventory.deepCopy();
        body.put("id", id).put("url", api + "inventories/" + id + "/").put("name", name)
                .put("organization", organization).put("description", description).put("variables", variables)
                .put("total_hosts", totalHosts);
        ObjectNode related = (ObjectNode) body.path("related");
        for (String rel : List.of("hosts", "groups", "root_groups", "variable_data", "script", "tree",
                "job_templates")) {
            related.put(rel, api + "inventories/" + id + "/" + rel + "/");
        }
        related.put("organization", api + "organizations/" + organization + "/");
        ((ObjectNode) body.path("summary_fields").path("organization")).put("id", organization);
        return body;
    }

    ObjectNode host(long id, long inventoryId, String name, String variables, boolean enabled) {
        ObjectNode body = host.deepCopy();
        body.put("id", id).put("url", api + "hosts/" + id + "/").put("name", name).put("inventory", inventoryId)
                .put("variables", variables).put("enabled", enabled).put("description", "");
        body.putNull("last_job");
        body.putNull("last_job_host_summary");
        ObjectNode related = body.putObject("related");
        for (String rel : List.of("variable_data", "groups", "all_groups", "job_events", "job_host_summaries")) {
            related.put(rel, api + "hosts/" + id + "/" + rel + "/");
        }
        related.put("inventory", api + "inventories/" + inventoryId + "/");
        ((ObjectNode) body.path("summary_fields").path("inventory")).put("id", inventoryId);
        return body;
    }

    ObjectNode group(long id, long inventoryId, String name) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("id", id).put("type", "group").put("url", api + "groups/" + id + "/").put("name", name)
                .put("description", "").put("inventory", inventoryId).put("variables", "");
        body.putObject("related").put("hosts", api + "groups/" + id + "/hosts/")
                .put("inventory", api + "inventories/" + inventoryId + "/");
        return body;
    }

    ObjectNode launchInfo(TemplateSettings t) {
        ObjectNode body = MAPPER.createObjectNode();
        List<String> required = SurveyRules.required(t);
        body.put("can_start_without_user_input", required.isEmpty() && t.passwordsNeeded.isEmpty()
                && t.inventory != null && !t.credentialNeeded);
        body.set("passwords_needed_to_start", MAPPER.valueToTree(t.passwordsNeeded));
        body.put("ask_scm_branch_on_launch", false).put("ask_variables_on_launch", t.askVariables)
                .put("ask_tags_on_launch", false).put("ask_diff_mode_on_launch", false)
                .put("ask_skip_tags_on_launch", false).put("ask_job_type_on_launch", false)
                .put("ask_limit_on_launch", false).put("ask_verbosity_on_launch", false)
                .put("ask_inventory_on_launch", t.askInventory).put("ask_credential_on_launch", t.askCredential)
                .put("ask_execution_environment_on_launch", false).put("ask_labels_on_launch", false)
                .put("ask_forks_on_launch", false).put("ask_job_slice_count_on_launch", false)
                .put("ask_timeout_on_launch", false).put("ask_instance_groups_on_launch", false)
                .put("survey_enabled", t.surveyEnabled);
        ArrayNode needed = body.putArray("variables_needed_to_start");
        required.forEach(needed::add);
        body.put("credential_needed_to_start", t.credentialNeeded)
                .put("inventory_needed_to_start", t.inventory == null);
        body.putObject("job_template_data").put("name", t.name).put("id", t.id).put("description", "");
        ObjectNode defaults = body.putObject("defaults");
        defaults.put("extra_vars", "---").put("diff_mode", false).put("limit", "").put("job_tags", "")
                .put("skip_tags", "").put("job_type", "run").put("verbosity", 0).put("job_slice_count", t.jobSliceCount);
        if (t.inventory == null) {
            defaults.putObject("inventory").putNull("name").putNull("id");
        } else {
            defaults.putObject("inventory").put("name", "Demo Inventory").put("id", t.inventory);
        }
        defaults.putArray("credentials");
        return body;
    }

    static ObjectNode page(List<? extends JsonNode> all, int count, @Nullable String next, @Nullable String previous) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("count", count);
        if (next == null) {
            body.putNull("next");
        } else {
            body.put("next", next);
        }
        if (previous == null) {
            body.putNull("previous");
        } else {
            body.put("previous", previous);
        }
        ArrayNode results = body.putArray("results");
        all.forEach(results::add);
        return body;
    }

    static Map<String, Object> toMap(JsonNode node) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = MAPPER.convertValue(node, Map.class);
        return map == null ? Map.of() : map;
    }
}
