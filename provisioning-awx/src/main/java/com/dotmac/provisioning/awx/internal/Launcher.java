package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.rules.TraceparentRules;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Launches a job's run: {@code POST job_templates/{id}/launch/} with the complete extra vars, the inventory and, for
 * customer-hosted jobs, the machine credential. The POST is sent exactly once: a launch whose answer was lost may
 * have created the job, and the engine finds it with {@code findRuns} before launching again. Thread-safe.
 */
public final class Launcher {
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);
    private static final Pattern CREDENTIAL_ID = Pattern.compile("(?:awx:)?([1-9][0-9]{0,17})");

    private final AwxHttp http;
    private final AwxJson json;
    private final AwxConfig config;
    private final JobTemplates templates;
    private final CustomerInventory inventories;

    /**
     * @param http the transport
     * @param json JSON mapping
     * @param config the runner's configuration
     * @param templates picks the template
     * @param inventories renders customer-hosted inventories
     */
    public Launcher(AwxHttp http, AwxJson json, AwxConfig config, JobTemplates templates,
            CustomerInventory inventories) {
        this.http = http;
        this.json = json;
        this.config = config;
        this.templates = templates;
        this.inventories = inventories;
    }

    /**
     * @param spec the job and its complete extra vars
     * @return the launched AWX job
     * @throws AutomationException permanent for configuration errors, 400/401/403/404 and dropped fields;
     *     transient for faults (the launch is then not repeated here)
     */
    public LaunchedRun launch(LaunchSpec spec) {
        try {
            return launchOnce(spec);
        } catch (AutomationException e) {
            String secret = callbackToken(spec);
            if (secret == null || e.getMessage() == null || !e.getMessage().contains(secret)) {
                throw e;
            }
            throw e.withMessage(e.getMessage().replace(secret, "[redacted]"));
        }
    }

    private LaunchedRun launchOnce(LaunchSpec spec) {
        ProvisioningJob job = spec.job();
        long templateId = templates.forJob(job);
        ObjectNode body = json.object();
        body.set("extra_vars", json.tree(spec.extraVars()));
        Long inventory = config.dotmacHostedInventoryId();
        if (job.deploymentMode() == DeploymentMode.CUSTOMER_HOSTED) {
            ConnectionProfile profile = job.connectionProfile();
            if (profile == null) {
                throw AutomationException.permanent(AwxErrorCodes.CONFIGURATION, "customer_hosted job " + job.id()
                        + " has no connection_profile to render its inventory from");
            }
            String runnerCredential = spec.runnerCredential();
            if (runnerCredential == null) {
                throw AutomationException.permanent(AwxErrorCodes.CONFIGURATION, "customer_hosted job " + job.id()
                        + " has no resolved credential: the engine resolves connection_profile.credential_ref"
                        + " through the CredentialPolicy before launching");
            }
            long credential = credentialId(runnerCredential);
            inventory = inventories.render(job, profile);
            body.putArray("credentials").add(credential);
        }
        if (inventory != null) {
            body.put("inventory", inventory);
        }
        String what = "launch job template " + templateId + " for job " + job.id();
        // the request's W3C trace context also as a header, for an AWX (or a proxy before it) that traces requests
        String traceparent = TraceparentRules.validOrNull(job.traceparent());
        AwxResponse response = http.post(http.url("job_templates/" + templateId + "/launch/").build(), body, what,
                false, traceparent == null ? Map.of() : Map.of(PlaybookVariables.TRACEPARENT, traceparent));
        if (response.code() == 400) {
            String messages = AwxMessages.fieldMessages(response.body());
            throw AutomationException.permanent(AwxErrorCodes.LAUNCH_REJECTED, http.redact("AWX rejected the launch"
                    + " of job template " + templateId + ": " + (messages == null ? "400 Bad Request" : messages)));
        }
        if (response.code() == 404) {
            throw AutomationException.permanent(AwxErrorCodes.NOT_FOUND, "AWX has no job template " + templateId
                    + " (404 on " + response.request() + "): check the job template configured for "
                    + job.operation().wireName() + " (" + job.deploymentMode().wireName() + ")");
        }
        if (!response.isSuccessful()) {
            throw http.rejected(response, what);
        }
        JsonNode answer = response.body();
        if (answer == null) {
            throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE, "AWX accepted the launch of"
                    + " job template " + templateId + " but answered without a job id; the run is found again by"
                    + " provisioning_job_id=" + job.id(), null);
        }
        long jobId = jobId(answer, templateId, job);
        List<String> dropped = droppedFields(answer.path("ignored_fields"), spec.extraVars().keySet(), templateId);
        if (!dropped.isEmpty()) {
            boolean cancelled = cancelQuietly("jobs/" + jobId + "/cancel/", "AWX job " + jobId);
            throw AutomationException.permanent(AwxErrorCodes.IGNORED_FIELDS, "job template " + templateId
                    + " dropped launch fields the job needs, so AWX job " + jobId + " would run without them"
                    + (cancelled ? " (it was cancelled)" : " (cancel it in AWX)") + ": " + String.join("; ", dropped));
        }
        log.info("job {} (tenant {}, {} {}): launched AWX job {} from job template {}", job.id(), job.tenantId(),
                job.operation().wireName(), job.deploymentMode().wireName(), jobId, templateId);
        return new LaunchedRun(String.valueOf(jobId), templateId);
    }

    private long jobId(JsonNode answer, long templateId, ProvisioningJob job) {
        Long jobId = AwxJson.id(answer, "job");
        String type = AwxJson.text(answer, "type");
        if (jobId == null && (type == null || type.equals("job"))) {
            jobId = AwxJson.id(answer, "id");
        }
        if (jobId != null) {
            return jobId;
        }
        Long workflowJob = AwxJson.id(answer, "workflow_job");
        if (workflowJob != null) {
            boolean cancelled = cancelQuietly("workflow_jobs/" + workflowJob + "/cancel/",
                    "AWX workflow job " + workflowJob);
            throw AutomationException.permanent(AwxErrorCodes.JOB_SLICING_UNSUPPORTED, "job template " + templateId
                    + " uses job slicing: AWX started workflow job " + workflowJob + " (polled under"
                    + " /workflow_jobs/), which this runner does not follow" + (cancelled ? "; it was cancelled"
                    : "; cancel it in AWX") + ". Set the template's job slicing to 1");
        }
        throw AutomationException.transientFailure(AwxErrorCodes.MALFORMED_RESPONSE, "AWX accepted the launch of"
                + " job template " + templateId + " but its answer names no job; the run is found again by"
                + " provisioning_job_id=" + job.id(), null);
    }

    private static List<String> droppedFields(JsonNode ignored, Set<String> sent, long templateId) {
        List<String> problems = new ArrayList<>();
        JsonNode variables = ignored.get("extra_vars");
        if (present(variables) && !onlyTraceparent(variables)) {
            problems.add(IgnoredVariables.explain(variables, sent, templateId));
        }
        if (present(ignored.get("inventory"))) {
            problems.add("inventory: enable 'Prompt on launch' for Inventory (ask_inventory_on_launch) on job"
                    + " template " + templateId + ", otherwise AWX runs against the template's own inventory");
        }
        if (present(ignored.get("credentials")) || present(ignored.get("credential"))) {
            problems.add("credentials: enable 'Prompt on launch' for Credentials (ask_credential_on_launch) on job"
                    + " template " + templateId + ", otherwise AWX ignores the customer's machine credential");
        }
        return problems;
    }

    /**
     * Whether AWX dropped only {@code traceparent}: a survey that guards the variables without a question for it
     * loses the trace link (the header still carries it), which is no reason to refuse the launch.
     */
    private static boolean onlyTraceparent(JsonNode variables) {
        return variables.isObject() && variables.propertyNames().size() == 1
                && variables.has(PlaybookVariables.TRACEPARENT);
    }

    private static boolean present(@Nullable JsonNode node) {
        return node != null && !node.isNull() && !(node.isContainer() && node.isEmpty())
                && !(node.isString() && node.stringValue().isEmpty());
    }

    private boolean cancelQuietly(String path, String what) {
        try {
            AwxResponse response = http.post(http.url(path).build(), json.object(), "cancel " + what, true);
            return response.isSuccessful();
        } catch (AutomationException e) {
            log.warn("could not cancel {}: {}", what, e.getMessage());
            return false;
        }
    }

    /**
     * @param credentialRef a connection profile's {@code credential_ref}
     * @return the AWX credential id it names ({@code 17} or {@code awx:17})
     * @throws AutomationException permanent {@link AwxErrorCodes#CREDENTIAL_REF} otherwise
     */
    static long credentialId(String credentialRef) {
        var matcher = CREDENTIAL_ID.matcher(credentialRef);
        if (!matcher.matches()) {
            throw AutomationException.permanent(AwxErrorCodes.CREDENTIAL_REF, "the credential that"
                    + " connection_profile.credential_ref names is registered as '" + AwxMessages.bounded(credentialRef,
                            64) + "', which is not an AWX credential id: register the AWX machine credential by its"
                    + " numeric id (e.g. 17 or awx:17)");
        }
        return Long.parseLong(matcher.group(1));
    }

    private static @Nullable String callbackToken(LaunchSpec spec) {
        Object token = spec.extraVars().get(PlaybookVariables.PLATFORM_CALLBACK_TOKEN);
        return token instanceof String s && s.length() >= 4 ? s : null;
    }
}
