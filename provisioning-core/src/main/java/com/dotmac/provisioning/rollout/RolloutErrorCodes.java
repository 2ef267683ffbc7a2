package com.dotmac.provisioning.rollout;

/**
 * Stable error codes of rollout members whose job could not be requested ({@link RolloutMember#errorCode()}); a
 * member whose job ran and failed carries the job's own code ({@link com.dotmac.provisioning.ErrorCodes}).
 */
public final class RolloutErrorCodes {
    /** The tenant no longer exists. */
    public static final String TENANT_NOT_FOUND = "TENANT_NOT_FOUND";
    /** The tenant's status does not allow the operation (e.g. an upgrade of a decommissioned tenant). */
    public static final String OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED";
    /** The member's request was refused (e.g. the host's allow-lists no longer accept the rollout's variables). */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    /**
     * An upgrade or decommission of a tenant that has no job to take its deployment mode and connection profile
     * from: provision it first.
     */
    public static final String NO_EARLIER_JOB = "NO_EARLIER_JOB";

    private RolloutErrorCodes() {
    }
}
