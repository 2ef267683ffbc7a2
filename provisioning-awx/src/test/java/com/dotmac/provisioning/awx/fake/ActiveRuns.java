package com.dotmac.provisioning.awx.fake;

import java.util.HashSet;
import java.util.Set;

/**
 * The fake's runs that are active (created and neither final nor vanished), and the most that were active at once.
 * Updated where a run starts ({@code newJob}) and wherever its state may change (an observation, a forced status).
 * Not thread-safe: guarded by the owning {@link FakeAwx}'s lock.
 */
final class ActiveRuns {
    private final Set<Long> active = new HashSet<>();
    private int most;

    /** @param job a job whose state may just have changed */
    void update(FakeJob job) {
        if (job.isFinal() || job.vanished) {
            active.remove(job.id);
            return;
        }
        active.add(job.id);
        most = Math.max(most, active.size());
    }

    /** @return how many runs are active now */
    int now() {
        return active.size();
    }

    /** @return the most runs that were active at once */
    int most() {
        return most;
    }
}
