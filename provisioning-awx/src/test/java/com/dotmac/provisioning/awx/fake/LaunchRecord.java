package com.dotmac.provisioning.awx.fake;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One launch request ({@code POST job_templates/{id}/launch/}) the fake AWX received.
 *
 * @param templateId the template
 * @param jobId the job it created, or null when the launch was refused
 * @param extraVars the extra vars as sent
 * @param inventory the inventory sent, or null
 * @param credentials the credentials sent
 */
public record LaunchRecord(long templateId, @Nullable Long jobId, Map<String, Object> extraVars,
        @Nullable Long inventory, List<Long> credentials) {
}
