package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.rules.FieldErrors;

/**
 * When a rollout's failures pause it: more than {@code maxFailures} failed member jobs, or more than
 * {@code maxFailedPercent} percent of its finished member jobs failed. Exactly one of the two is set (the other is
 * {@code -1}). Immutable and thread-safe.
 *
 * <p>A percentage is judged on the jobs finished so far, so a first failure among the first finished jobs may cross
 * it: with a canary, that is what the canary is for.
 *
 * @param maxFailures the failed jobs tolerated (0 or more), or -1 when a percentage is set
 * @param maxFailedPercent the failed share of finished jobs tolerated (0 to 100), or -1 when a count is set
 */
public record FailureThreshold(int maxFailures, int maxFailedPercent) {
    /** Tolerates no failure: the first failed member job pauses the rollout (the default). */
    public static final FailureThreshold NONE_TOLERATED = new FailureThreshold(0, -1);

    /**
     * @throws com.dotmac.provisioning.InvalidRequestException naming {@code plan.failure_threshold} when both or
     *     neither is set, or a value is out of range
     */
    public FailureThreshold {
        FieldErrors errors = new FieldErrors();
        check(maxFailures, maxFailedPercent, "plan.failure_threshold", errors);
        errors.throwIfAny();
    }

    /**
     * @param failures failed jobs tolerated, 0 or more
     * @return the threshold
     */
    public static FailureThreshold count(int failures) {
        return new FailureThreshold(failures, -1);
    }

    /**
     * @param failedPercent failed share of finished jobs tolerated, 0 to 100
     * @return the threshold
     */
    public static FailureThreshold percent(int failedPercent) {
        return new FailureThreshold(-1, failedPercent);
    }

    /**
     * @param failed member jobs that failed (or timed out)
     * @param finished member jobs that ended, whatever their outcome
     * @return whether these figures cross the threshold (the rollout must pause)
     */
    public boolean isCrossedBy(int failed, int finished) {
        if (maxFailures >= 0) {
            return failed > maxFailures;
        }
        return finished > 0 && failed * 100L > (long) maxFailedPercent * finished;
    }

    /** @return e.g. {@code more than 2 failed jobs} or {@code more than 10 % of finished jobs failed} */
    public String describe() {
        return maxFailures >= 0 ? "more than " + maxFailures + " failed job" + (maxFailures == 1 ? "" : "s")
                : "more than " + maxFailedPercent + " % of finished jobs failed";
    }

    static void check(int failures, int percent, String field, FieldErrors errors) {
        if ((failures >= 0) == (percent >= 0)) {
            errors.add(field, "set either max_failures or max_failed_percent, not " + (failures >= 0 ? "both"
                    : "neither"));
        } else if (percent > 100) {
            errors.add(field, "max_failed_percent must be between 0 and 100, not " + percent);
        } else if (failures < -1 || percent < -1) {
            errors.add(field, "must not be negative");
        }
    }
}
