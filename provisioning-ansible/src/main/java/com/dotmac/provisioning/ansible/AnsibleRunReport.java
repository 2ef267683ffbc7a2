package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.spi.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AnsiblePlaybookRunner} knows about one run, for operators and tests: its state (as {@code poll}
 * reports it), the exit status of {@code ansible-playbook}, the recap per host and where its files are.
 *
 * @param runId the run id (the job id)
 * @param directory the run directory: {@code stdout.log} (the playbook's output), {@code events.jsonl} (one JSON
 *     object per task result), {@code run.json} (what was run)
 * @param status the run's status
 * @param exitCode the exit status of {@code ansible-playbook}, or null while it runs (or when it was killed)
 * @param hosts the recap per host; empty until the playbook finished
 */
public record AnsibleRunReport(String runId, Path directory, RunStatus status, @Nullable Integer exitCode,
        Map<String, HostStats> hosts) {
    /** Copies the recap. */
    public AnsibleRunReport {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(status, "status");
        hosts = Map.copyOf(hosts);
    }

    /** @return the number of changed tasks over all hosts (0 for a run that changed nothing: idempotence) */
    public long totalChanged() {
        return hosts.values().stream().mapToLong(HostStats::changed).sum();
    }
}
