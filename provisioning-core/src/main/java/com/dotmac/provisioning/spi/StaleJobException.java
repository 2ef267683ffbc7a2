package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ProvisioningException;

/**
 * A write lost an optimistic version check: somebody else changed the job since it was read. The engine reads the
 * job again and decides anew.
 */
public class StaleJobException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final long expectedVersion;

    /**
     * @param jobId the job
     * @param expectedVersion the version the writer had read
     */
    public StaleJobException(String jobId, long expectedVersion) {
        super("provisioning job " + jobId + " was changed concurrently (expected version " + expectedVersion + ")");
        this.jobId = jobId;
        this.expectedVersion = expectedVersion;
    }

    /** @return the job */
    public String jobId() {
        return jobId;
    }

    /** @return the version the writer had read */
    public long expectedVersion() {
        return expectedVersion;
    }
}
