package com.dotmac.provisioning;

/** The job has already reached a terminal status, so it can no longer be cancelled or called back. */
public class JobFinishedException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final JobStatus status;

    /**
     * @param jobId the job
     * @param status its terminal status
     * @param action what was refused, e.g. "cancelled"
     */
    public JobFinishedException(String jobId, JobStatus status, String action) {
        super("provisioning job " + jobId + " has already finished (" + status.wireName() + ") and cannot be " + action);
        this.jobId = jobId;
        this.status = status;
    }

    /** @return the job */
    public String jobId() {
        return jobId;
    }

    /** @return its terminal status */
    public JobStatus status() {
        return status;
    }
}
