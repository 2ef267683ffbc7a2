package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.JobListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link JobListener} that counts finished lifecycles: jobs that ended and whose final tenant status the directory
 * accepted (the end of "request → launch → in progress → succeeded → tenant provisioned"). Thread-safe.
 */
public final class Completions implements JobListener {
    private final AtomicInteger completed = new AtomicInteger();
    private final Map<JobStatus, AtomicInteger> byStatus = new ConcurrentHashMap<>();

    @Override
    public void onEvent(ProvisioningJob job, JobEvent event) {
        if (event.type() == JobEventType.TENANT_STATUS_APPLIED && job.status().isTerminal()) {
            completed.incrementAndGet();
            byStatus.computeIfAbsent(job.status(), s -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** @return finished lifecycles so far */
    public int completed() {
        return completed.get();
    }

    /**
     * @param status a terminal status
     * @return how many finished lifecycles ended with it
     */
    public int completed(JobStatus status) {
        AtomicInteger n = byStatus.get(status);
        return n == null ? 0 : n.get();
    }

    /** Sets the counts to zero. */
    public void reset() {
        completed.set(0);
        byStatus.clear();
    }
}
