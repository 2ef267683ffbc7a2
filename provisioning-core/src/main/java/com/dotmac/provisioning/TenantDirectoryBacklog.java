package com.dotmac.provisioning;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The jobs whose tenant status the host's tenant directory keeps refusing, as this node saw them: a job counts from
 * the first refusal of its current tenant status until the directory accepts it (or a newer job of its tenant makes
 * it moot), as long as one of this node's attempts was refused recently (within the longest retry delay plus a lease
 * and a sweep; a job another node now retries is that node's). Immutable and thread-safe; see
 * {@link TenantProvisioner#tenantDirectoryBacklog()}.
 *
 * @param waitingJobs how many jobs wait for the directory to accept their tenant status; 0 or more
 * @param oldestSince when the longest-waiting of them was first refused, or null when none waits
 */
public record TenantDirectoryBacklog(int waitingJobs, @Nullable Instant oldestSince) {
    /** No job waits on the tenant directory. */
    public static final TenantDirectoryBacklog NONE = new TenantDirectoryBacklog(0, null);

    /**
     * Checks the values agree.
     *
     * @throws IllegalArgumentException when the count is negative, or the time is missing for waiting jobs (or
     *     present for none)
     */
    public TenantDirectoryBacklog {
        if (waitingJobs < 0) {
            throw new IllegalArgumentException("waitingJobs must not be negative, was " + waitingJobs);
        }
        if ((waitingJobs == 0) != (oldestSince == null)) {
            throw new IllegalArgumentException("oldestSince is set exactly when jobs wait");
        }
    }

    /**
     * @param now the time to measure to
     * @return how long the directory has refused the longest-waiting job ({@code now - oldestSince}, never
     *     negative), or zero when none waits
     */
    public Duration refusingFor(Instant now) {
        Instant since = oldestSince;
        if (since == null || !since.isBefore(now)) {
            return Duration.ZERO;
        }
        return Duration.between(since, now);
    }
}
