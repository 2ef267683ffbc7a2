package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.spi.AutomationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Says why an AWX job failed, with one extra request per failed run:
 * <ul>
 *   <li>{@code failed}: the failed events ({@code job_events/?event__in=runner_on_failed,runner_on_unreachable,...
 *       &failed=true}; {@code failed=true} leaves out errors the playbook ignores) give
 *       {@code task 'Render compose file' failed on host dc1-control-01: <msg>}; without one, the job's
 *       {@code job_explanation} (e.g. {@code Job terminated due to timeout}), then {@code result_traceback};</li>
 *   <li>{@code error} (AWX itself failed): the job detail's {@code job_explanation}, then the end of its
 *       {@code result_traceback} (job lists leave the traceback out).</li>
 * </ul>
 * Bounded in length; never throws. Thread-safe.
 */
public final class FailureDetails {
    private static final Logger log = LoggerFactory.getLogger(FailureDetails.class);
    /** The event types of failed hosts; items are only used to explain a loop's "One or more items failed". */
    static final String FAILED_EVENTS =
            "runner_on_failed,runner_on_unreachable,runner_on_async_failed,runner_item_on_failed";
    private static final int MAX_FAILURES_NAMED = 3;

    private final AwxHttp http;
    private final int maxLength;

    /**
     * @param http the transport
     * @param maxLength the longest detail
     */
    public FailureDetails(AwxHttp http, int maxLength) {
        this.http = http;
        this.maxLength = maxLength;
    }

    /**
     * @param jobId a failed AWX job
     * @param job its entry in the job list
     * @return the failed task(s), host(s) and message(s), or the best explanation AWX gives
     */
    public String ofFailedJob(long jobId, JsonNode job) {
        String unavailable = "";
        try {
            String what = "read the failed tasks of AWX job " + jobId;
            JsonNode page = http.expectJson(http.get(http.url("jobs/" + jobId + "/job_events/")
                    .addEncodedQueryParameter("event__in", FAILED_EVENTS)
                    .addQueryParameter("failed", "true")
                    .addQueryParameter("order_by", "counter")
                    .addQueryParameter("page_size", "50").build(), what), what);
            String tasks = describe(page.path("results"));
            if (tasks != null) {
                return finish(tasks);
            }
        } catch (AutomationException e) {
            log.warn("could not read the failed tasks of AWX job {}: {}", jobId, e.getMessage());
            unavailable = " (its failed tasks could not be read: " + e.getMessage() + ")";
        }
        String explanation = AwxJson.text(job, "job_explanation");
        if (explanation != null) {
            return finish("AWX job " + jobId + " failed: " + AwxMessages.oneLine(explanation));
        }
        String traceback = AwxJson.text(job, "result_traceback");
        if (traceback != null) {
            return finish("AWX job " + jobId + " failed: " + AwxMessages.tail(traceback, maxLength / 2));
        }
        return finish("AWX job " + jobId + " failed; AWX has recorded no failed task yet (see " + http.api()
                .encodedPath() + "jobs/" + jobId + "/stdout/)" + unavailable);
    }

    /**
     * @param jobId an AWX job whose status is {@code error}
     * @param job its entry in the job list
     * @return what AWX says went wrong
     */
    public String ofErroredJob(long jobId, JsonNode job) {
        JsonNode detail = job;
        String unavailable = "";
        try {
            String what = "read AWX job " + jobId;
            detail = http.expectJson(http.get(http.url("jobs/" + jobId + "/").build(), what), what);
        } catch (AutomationException e) {
            log.warn("could not read AWX job {}: {}", jobId, e.getMessage());
            unavailable = " (its details could not be read: " + e.getMessage() + ")";
        }
        String explanation = AwxJson.text(detail, "job_explanation");
        String traceback = AwxJson.text(detail, "result_traceback");
        StringBuilder text = new StringBuilder("AWX job ").append(jobId).append(" ended in an error of AWX");
        if (explanation != null) {
            text.append(": ").append(AwxMessages.oneLine(explanation));
        }
        if (traceback != null) {
            text.append(explanation == null ? ": " : "; traceback: ").append(AwxMessages.tail(traceback,
                    maxLength / 2));
        }
        if (explanation == null && traceback == null) {
            text.append(" without an explanation").append(unavailable);
        }
        return finish(text.toString());
    }

    private @Nullable String describe(JsonNode events) {
        List<JsonNode> hosts = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode event : events) {
            String type = AwxJson.text(event, "event");
            if ("runner_item_on_failed".equals(type)) {
                items.add(event);
            } else if (type != null) {
                hosts.add(event);
            }
        }
        List<JsonNode> failures = hosts.isEmpty() ? items : hosts;
        if (failures.isEmpty()) {
            return null;
        }
        Set<String> lines = new LinkedHashSet<>();
        for (JsonNode event : failures) {
            lines.add(line(event, items));
        }
        List<String> named = new ArrayList<>(lines);
        String text = String.join("; ", named.subList(0, Math.min(MAX_FAILURES_NAMED, named.size())));
        int more = named.size() - MAX_FAILURES_NAMED;
        return more > 0 ? text + "; and " + more + " more failure" + (more == 1 ? "" : "s") : text;
    }

    private static String line(JsonNode event, List<JsonNode> items) {
        String task = firstText(AwxJson.text(event, "task"), AwxJson.text(event.path("event_data"), "task"));
        String host = firstText(AwxJson.text(event, "host_name"), AwxJson.text(event.path("event_data"), "host"));
        String message = message(event);
        if (message == null || message.startsWith("One or more items failed")) {
            for (JsonNode item : items) {
                if (task.equals(firstText(AwxJson.text(item, "task"), "")) && host.equals(firstText(
                        AwxJson.text(item, "host_name"), ""))) {
                    String itemMessage = message(item);
                    if (itemMessage != null) {
                        message = itemMessage;
                        break;
                    }
                }
            }
        }
        boolean unreachable = "runner_on_unreachable".equals(AwxJson.text(event, "event"));
        return "task '" + task + "' " + (unreachable ? "could not reach host " : "failed on host ") + host
                + (message == null ? "" : ": " + message);
    }

    private static @Nullable String message(JsonNode event) {
        JsonNode res = event.path("event_data").path("res");
        for (String field : new String[] {"msg", "stderr", "reason", "module_stderr", "stdout"}) {
            JsonNode value = res.get(field);
            if (value != null && !value.isNull() && !value.asString(value.toString()).isBlank()) {
                return AwxMessages.oneLine(value.isString() ? value.stringValue() : value.toString());
            }
        }
        String stdout = AwxJson.text(event, "stdout");
        return stdout == null ? null : AwxMessages.oneLine(stdout);
    }

    private static String firstText(@Nullable String a, @Nullable String b) {
        return a != null ? a : b == null || b.isEmpty() ? "?" : b;
    }

    private String finish(String text) {
        return AwxMessages.bounded(http.redact(text), maxLength);
    }
}
