package com.dotmac.provisioning;

/** Only a {@code failed}, {@code cancelled} or {@code timed_out} job can be retried. */
public class RetryNotAllowedException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final JobStatus status;

    /**
     * @param jobId the job
     * @param status its status, which is not retryable
     */
    public RetryNotAllowedException(String jobId, JobStatus status) {
        super("provisioning job " + jobId + " is " + status.wireName()
                + "; only failed, cancelled or timed_out jobs can be retried");
        this.jobId = jobId;
        this.status = status;
    }

    /** @return the job */
    public String jobId() {
        return jobId;
    }

    /** @return its status */
    public JobStatus status() {
        return status;
    }
}
