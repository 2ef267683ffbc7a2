package com.dotmac.provisioning.spring.web.dto;

import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST .../rollouts/{rollout_id}/abort}.
 *
 * @param cancelRunningJobs whether to cancel the rollout's jobs in flight (default false: they run to their end)
 */
public record AbortRolloutBody(@Nullable Boolean cancelRunningJobs) implements ApiBody {
}
