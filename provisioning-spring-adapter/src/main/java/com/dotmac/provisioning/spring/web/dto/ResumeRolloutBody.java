package com.dotmac.provisioning.spring.web.dto;

import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST .../rollouts/{rollout_id}/resume}.
 *
 * @param failed what to do with the tenants whose job failed: {@code retry} (default: a new job each) or
 *     {@code skip}
 */
public record ResumeRolloutBody(@Nullable String failed) implements ApiBody {
}
