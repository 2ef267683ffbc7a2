package com.dotmac.provisioning.ansible;

/**
 * The error codes of {@link com.dotmac.provisioning.spi.AutomationException}s thrown by
 * {@link AnsiblePlaybookRunner}; a job whose launch failed carries one as its {@code error_code}.
 */
public final class AnsibleErrorCodes {
    /**
     * Permanent: the runner is not set up to run the job (missing playbook, inventory, {@code ansible-playbook} or
     * {@code setsid}); the message says what to fix.
     */
    public static final String CONFIGURATION = "ANSIBLE_CONFIGURATION";
    /**
     * Permanent: the job cannot be run as given (a customer-hosted job without a connection profile, a value with
     * Jinja delimiters, a job id that cannot name a run directory, an unknown credential reference).
     */
    public static final String INVALID_JOB = "ANSIBLE_INVALID_JOB";
    /** Transient: the runner already has {@link AnsibleRunnerConfig#maxConcurrentRuns()} runs going. */
    public static final String BUSY = "ANSIBLE_BUSY";
    /** Transient: the run directory could not be written or read, or the process could not be started or signalled. */
    public static final String IO = "ANSIBLE_IO";

    private AnsibleErrorCodes() {
    }
}
