package com.dotmac.provisioning;

/**
 * Stable error codes of failed, cancelled and timed-out jobs ({@link ProvisioningJob#errorCode()}). Runners may add
 * their own codes (e.g. {@code AWX_IGNORED_FIELDS}); these are the engine's.
 */
public final class ErrorCodes {
    /** The runner refused the launch permanently (configuration, permissions, bad template). */
    public static final String LAUNCH_REJECTED = "LAUNCH_REJECTED";
    /**
     * The job's tenant may no longer use the credential its connection profile names (its registration was removed
     * or no longer covers the host); nothing was launched.
     */
    public static final String CREDENTIAL_NOT_ALLOWED = "CREDENTIAL_NOT_ALLOWED";
    /** The credential policy could not be read before a launch (transient: the launch is retried). */
    public static final String CREDENTIAL_POLICY_UNAVAILABLE = "CREDENTIAL_POLICY_UNAVAILABLE";
    /** Every launch attempt failed transiently; the automation service stayed unreachable. */
    public static final String LAUNCH_ATTEMPTS_EXHAUSTED = "LAUNCH_ATTEMPTS_EXHAUSTED";
    /**
     * The launch attempts are used up, the last one may have started a run (its answer never came), and the engine
     * could not look for that run: check the automation platform for a run carrying the job's
     * {@code provisioning_job_id}. The engine keeps looking for it (and cancels it when found); a retry is refused
     * until it has looked and found none, or the job timeout has passed since the job ended.
     */
    public static final String LAUNCH_OUTCOME_UNKNOWN = "LAUNCH_OUTCOME_UNKNOWN";
    /**
     * A runner call did not return within {@code runnerCallTimeout}; the engine gave up on it (a transient failure:
     * the step is retried, and a launch that may have happened is looked for before launching again).
     */
    public static final String RUNNER_CALL_TIMED_OUT = "RUNNER_CALL_TIMED_OUT";
    /**
     * This node gave up a runner call because it could not renew the job's lease before it ran out (the database
     * was unreachable, or another node took the job over): the node that holds the job goes on with it.
     */
    public static final String LEASE_LOST = "LEASE_LOST";
    /** The run finished as failed (a task failed or a host was unreachable). */
    public static final String RUN_FAILED = "RUN_FAILED";
    /** The run ended in an error of the automation service itself. */
    public static final String RUN_ERROR = "RUN_ERROR";
    /** The automation service no longer knows the run. */
    public static final String RUN_LOST = "RUN_LOST";
    /** The run was cancelled outside the platform (e.g. in the AWX UI). */
    public static final String RUN_CANCELLED_EXTERNALLY = "RUN_CANCELLED_EXTERNALLY";
    /** Cancelled on request. */
    public static final String CANCELLED = "CANCELLED";
    /** The job's deadline passed. */
    public static final String TIMED_OUT = "TIMED_OUT";
    /**
     * The run stayed pending (accepted but never started: AWX {@code new}, {@code pending} or {@code waiting})
     * longer than the pending timeout and was cancelled; the job is {@code timed_out}. Usually the automation
     * platform has no capacity for it: check AWX instance and instance-group capacity.
     */
    public static final String RUN_PENDING_TIMEOUT = "RUN_PENDING_TIMEOUT";

    private ErrorCodes() {
    }
}
