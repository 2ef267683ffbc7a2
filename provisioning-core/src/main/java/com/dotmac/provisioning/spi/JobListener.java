package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningJob;

/**
 * Hears every event of every job after it was stored (for metrics, notifications, audit). Called on the engine's
 * threads; must be thread-safe and quick. An exception thrown here is logged and never breaks a job.
 */
@FunctionalInterface
public interface JobListener {
    /**
     * @param job the job as stored with the event
     * @param event the new event
     */
    void onEvent(ProvisioningJob job, JobEvent event);
}
