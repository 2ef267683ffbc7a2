package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Polls many AWX jobs at once: {@code GET jobs/?id__in=1,2,3&page_size=200}, one request per 200 runs (following
 * {@code next} links should AWX cap the page lower), and maps AWX statuses to {@link RunState}s. A run missing from
 * the answer is {@link RunState#LOST}. Thread-safe.
 */
public final class RunPoller {
    private static final Logger log = LoggerFactory.getLogger(RunPoller.class);
    private static final String HIDDEN_ARTIFACTS = "$hidden due to Ansible no_log flag$";
    private static final Pattern JOB_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final AwxHttp http;
    private final AwxJson json;
    private final FailureDetails failures;
    private final int batchSize;

    /**
     * @param http the transport
     * @param json JSON mapping
     * @param failures explains failed runs
     * @param batchSize runs per request (at most 200)
     */
    public RunPoller(AwxHttp http, AwxJson json, FailureDetails failures, int batchSize) {
        this.http = http;
        this.json = json;
        this.failures = failures;
        this.batchSize = batchSize;
    }

    /**
     * @param runIds AWX job ids as strings
     * @return a status for every id
     * @throws com.dotmac.provisioning.spi.AutomationException when a batch cannot be read
     */
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        Map<String, RunStatus> result = new LinkedHashMap<>();
        Map<Long, List<String>> byJobId = new LinkedHashMap<>();
        for (String runId : runIds) {
            Long id = jobId(runId);
            if (id == null) {
                result.put(runId, RunStatus.lost("'" + AwxMessages.bounded(runId, 64) + "' is not an AWX job id"));
            } else {
                byJobId.computeIfAbsent(id, k -> new ArrayList<>()).add(runId);
            }
        }
        List<Long> ids = new ArrayList<>(byJobId.keySet());
        Map<Long, JsonNode> jobs = new HashMap<>();
        for (int from = 0; from < ids.size(); from += batchSize) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + batchSize));
            String idList = batch.stream().map(String::valueOf).collect(Collectors.joining(","));
            for (JsonNode job : http.getAllPages(http.url("jobs/")
                    .addEncodedQueryParameter("id__in", idList)
                    .addQueryParameter("order_by", "id")
                    .addQueryParameter("page_size", String.valueOf(batchSize)).build(),
                    "poll " + batch.size() + " AWX job" + (batch.size() == 1 ? "" : "s"))) {
                Long id = AwxJson.id(job, "id");
                if (id != null) {
                    jobs.put(id, job);
                }
            }
        }
        byJobId.forEach((id, names) -> {
            JsonNode job = jobs.get(id);
            RunStatus status = job == null
                    ? RunStatus.lost("AWX has no job " + id + " (deleted, or removed by a cleanup schedule)")
                    : status(id, job);
            names.forEach(name -> result.put(name, status));
        });
        return result;
    }

    private RunStatus status(long id, JsonNode job) {
        String status = AwxJson.text(job, "status");
        return switch (status == null ? "" : status) {
            case "new", "pending", "waiting" -> RunStatus.pending();
            case "running" -> RunStatus.running();
            case "successful" -> RunStatus.succeeded(artifacts(id, job));
            case "failed" -> new RunStatus(RunState.FAILED, failures.ofFailedJob(id, job), artifacts(id, job));
            case "error" -> new RunStatus(RunState.ERROR, failures.ofErroredJob(id, job), artifacts(id, job));
            case "canceled" -> RunStatus.canceled();
            default -> {
                log.warn("AWX job {} has an unknown status '{}'; treating it as pending", id, status);
                yield RunStatus.pending();
            }
        };
    }

    private Map<String, Object> artifacts(long id, JsonNode job) {
        JsonNode artifacts = job.get("artifacts");
        if (artifacts != null && artifacts.isObject()) {
            return json.toMap(artifacts);
        }
        if (artifacts != null && artifacts.isString() && HIDDEN_ARTIFACTS.equals(artifacts.stringValue())) {
            log.debug("AWX job {}: artifacts hidden by no_log", id);
        }
        return Map.of();
    }

    /**
     * @param runId a run id
     * @return the AWX job id it names, or null when it is not one
     */
    public static @Nullable Long jobId(String runId) {
        if (!JOB_ID.matcher(runId).matches()) {
            return null;
        }
        return Long.parseLong(runId);
    }
}
