package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.Strings;

/** No job has the given id (REST: 404). */
public class JobNotFoundException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final String jobId;

    /**
     * @param jobId the unknown job id
     */
    public JobNotFoundException(String jobId) {
        super("provisioning job '" + Strings.abbreviate(jobId, 80) + "' does not exist");
        this.jobId = jobId;
    }

    /** @return the unknown job id */
    public String jobId() {
        return jobId;
    }
}
