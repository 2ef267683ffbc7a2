package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

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
        return findAllOf(List.of(spec)).getOrDefault(spec.correlationId(), List.of());
    }

    /**
     * The same for many jobs with one listing per job template (all its pages), from the earliest first launch
     * attempt among the template's jobs.
     *
     * @param specs the jobs as they would be launched
     * @return per job id, the AWX jobs carrying it, oldest first; jobs without any are absent
     * @throws com.dotmac.provisioning.spi.AutomationException when the jobs cannot be listed
     */
    public Map<String, List<LaunchedRun>> findAllOf(Collection<LaunchSpec> specs) {
        Map<Long, List<LaunchSpec>> byTemplate = new TreeMap<>();
        for (LaunchSpec spec : specs) {
            byTemplate.computeIfAbsent(templates.forJob(spec.job()), k -> new ArrayList<>()).add(spec);
        }
        Map<String, List<LaunchedRun>> found = new LinkedHashMap<>();
        byTemplate.forEach((templateId, group) -> found.putAll(findInTemplate(templateId, group)));
        return found;
    }

    private Map<String, List<LaunchedRun>> findInTemplate(long templateId, List<LaunchSpec> specs) {
        Instant earliest = specs.stream().map(LaunchSpec::launchPendingSince).min(Instant::compareTo).orElseThrow();
        Instant since = earliest.minus(clockSkew).truncatedTo(ChronoUnit.SECONDS);
        Set<String> jobIds = new HashSet<>();
        specs.forEach(spec -> jobIds.add(spec.correlationId()));
        String what = specs.size() == 1
                ? "find the run of job " + specs.get(0).correlationId() + " among job template " + templateId + "'s jobs"
                : "find the runs of " + specs.size() + " jobs among job template " + templateId + "'s jobs";
        List<JsonNode> jobs = http.getAllPages(http.url("job_templates/" + templateId + "/jobs/")
                .addQueryParameter("created__gte", since.toString())
                .addQueryParameter("order_by", "-id")
                .addQueryParameter("page_size", "200").build(), what);
        Map<String, List<Long>> matches = new LinkedHashMap<>();
        for (JsonNode job : jobs) {
            Long id = AwxJson.id(job, "id");
            String carried = json.parseObjectString(AwxJson.text(job, "extra_vars"))
                    .map(vars -> AwxJson.text(vars, PlaybookVariables.PROVISIONING_JOB_ID))
                    .orElse(null);
            if (id != null && carried != null && jobIds.contains(carried)) {
                matches.computeIfAbsent(carried, k -> new ArrayList<>()).add(id);
            }
        }
        log.debug("{} job(s): {} AWX job(s) of job template {} since {} checked, {} carry one of them", specs.size(),
                jobs.size(), templateId, since, matches.values().stream().mapToInt(List::size).sum());
        Map<String, List<LaunchedRun>> found = new LinkedHashMap<>();
        matches.forEach((jobId, ids) -> {
            Collections.sort(ids);
            if (ids.size() > 1) {
                log.warn("job {}: AWX has {} jobs carrying provisioning_job_id={}: {}", jobId, ids.size(), jobId, ids);
            }
            found.put(jobId, ids.stream().map(id -> new LaunchedRun(String.valueOf(id), templateId)).toList());
        });
        return found;
    }
}
