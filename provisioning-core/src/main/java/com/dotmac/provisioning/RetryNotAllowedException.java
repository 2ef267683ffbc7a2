package com.dotmac.provisioning;

/**
 * Only a {@code failed}, {@code cancelled} or {@code timed_out} job can be retried, and only once no run of it may
 * still be live (a launch attempt whose run could not be looked for; see {@link ErrorCodes#LAUNCH_OUTCOME_UNKNOWN}).
 */
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

    /**
     * @param jobId the job
     * @param status its status
     * @param message why it cannot be retried now, and what the operator can do, for an operator
     */
    public RetryNotAllowedException(String jobId, JobStatus status, String message) {
        super(message);
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
