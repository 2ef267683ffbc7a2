package com.dotmac.provisioning.awx.fake;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a fake AWX job.
 *
 * @param id the job id
 * @param templateId its job template
 * @param status its current status
 * @param observations how often a poll or detail request has shown it
 * @param cancelRequested whether a cancel was posted while it was active
 * @param extraVars the extra vars the run gets (survey password answers in clear; AWX's API shows those as
 *     {@code $encrypted$})
 * @param inventory its inventory
 * @param created when it was created
 */
public record JobView(long id, long templateId, String status, int observations, boolean cancelRequested,
        Map<String, Object> extraVars, @Nullable Long inventory, Instant created) {
}
