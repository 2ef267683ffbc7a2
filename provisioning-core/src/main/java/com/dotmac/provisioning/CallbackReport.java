package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.JsonValues;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a playbook's post-provision callback reports (README "REST API" and docs/SECURITY.md). It is recorded on the
 * job's timeline and
 * its artifacts are stored; the runner's own status stays the source of truth for the job's final state.
 *
 * @param status the status the playbook reports (e.g. {@code succeeded}), or null
 * @param runId the run id the playbook saw (AWX job id), or null
 * @param artifacts JSON-shaped artifacts (e.g. the tenant's URLs)
 */
public record CallbackReport(@Nullable String status, @Nullable String runId, Map<String, Object> artifacts) {
    /** Copies the artifacts. */
    public CallbackReport {
        artifacts = JsonValues.copyMap(artifacts);
    }
}
