package com.dotmac.provisioning;

/**
 * The tenant statuses this library sets (docs/DESIGN.md "The job state machine"). A host's own statuses ({@code
 * active},
 * {@code suspended}, ...) are plain strings too; see {@link com.dotmac.provisioning.state.TenantStatusRules}.
 */
public final class TenantStatus {
    /** A provision job is queued or running. */
    public static final String PROVISIONING = "provisioning";
    /** The last provision or upgrade succeeded. */
    public static final String PROVISIONED = "provisioned";
    /** The last provision job failed, was cancelled or timed out. */
    public static final String FAILED_PROVISIONING = "failed_provisioning";
    /** An upgrade job is queued or running. */
    public static final String UPGRADING = "upgrading";
    /** The last upgrade job failed, was cancelled or timed out. */
    public static final String FAILED_UPGRADE = "failed_upgrade";
    /** A decommission job is queued or running. */
    public static final String DECOMMISSIONING = "decommissioning";
    /** The tenant's environment was removed. */
    public static final String DECOMMISSIONED = "decommissioned";
    /** The last decommission job failed, was cancelled or timed out. */
    public static final String FAILED_DECOMMISSION = "failed_decommission";
    /** A host platform's status for a live tenant. */
    public static final String ACTIVE = "active";

    private TenantStatus() {
    }
}
