package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the AWX job an earlier launch attempt started: lists the template's jobs created since the first attempt
 * (minus a clock-skew margin), newest first, following pages, and compares {@code provisioning_job_id} in their
 * {@code extra_vars} (AWX forbids filtering on extra_vars, so the comparison happens here). Thread-safe.
 */
public final class RunFinder {
    private static final Logger log = LoggerFactory.getLogger(RunFinder.class);

    private final AwxHttp http;
    private final AwxJson json;
    private final JobTemplates templates;
    private final Duration clockSkew;

    /**
     * @param http the transport
     * @param json JSON mapping
     * @param templates picks the job's template
     * @param clockSkew how far before the first launch attempt to look
     */
    public RunFinder(AwxHttp http, AwxJson json, JobTemplates templates, Duration clockSkew) {
        this.http = http;
        this.json = json;
        this.templates = templates;
        this.clockSkew = clockSkew;
    }

    /**
     * @param spec the job as it would be launched
     * @return every AWX job carrying its {@code provisioning_job_id}, oldest first; empty when AWX has none
     * @throws com.dotmac.provisioning.spi.AutomationException when the jobs cannot be listed
     */
    public List<LaunchedRun> findAll(LaunchSpec spec) {
        long templateId = templates.forJob(spec.job());
        Instant since = spec.launchPendingSince().minus(clockSkew).truncatedTo(ChronoUnit.SECONDS);
        List<JsonNode> jobs = http.getAllPages(http.url("job_templates/" + templateId + "/jobs/")
                .addQueryParameter("created__gte", since.toString())
                .addQueryParameter("order_by", "-id")
                .addQueryParameter("page_size", "200").build(),
                "find the run of job " + spec.correlationId() + " among job template " + templateId + "'s jobs");
        List<Long> matches = new ArrayList<>();
        for (JsonNode job : jobs) {
            Long id = AwxJson.id(job, "id");
            boolean ours = json.parseObjectString(AwxJson.text(job, "extra_vars"))
                    .map(vars -> spec.correlationId().equals(AwxJson.text(vars, PlaybookVariables.PROVISIONING_JOB_ID)))
                    .orElse(false);
            if (id != null && ours) {
                matches.add(id);
            }
        }
        if (matches.isEmpty()) {
            log.debug("job {}: no AWX job of template {} since {} carries it ({} checked)", spec.correlationId(),
                    templateId, since, jobs.size());
            return List.of();
        }
        Collections.sort(matches);
        if (matches.size() > 1) {
            log.warn("job {}: AWX has {} jobs carrying provisioning_job_id={}: {}", spec.correlationId(),
                    matches.size(), spec.correlationId(), matches);
        }
        log.debug("job {}: AWX jobs {} of job template {} carry it", spec.correlationId(), matches, templateId);
        return matches.stream().map(id -> new LaunchedRun(String.valueOf(id), templateId)).toList();
    }
}
