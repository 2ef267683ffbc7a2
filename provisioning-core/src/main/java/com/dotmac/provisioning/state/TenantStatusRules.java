package com.dotmac.provisioning.state;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantStatus;

/**
 * Which tenant status follows a job (DESIGN table):
 *
 * <table>
 *   <caption>tenant status by operation and job status</caption>
 *   <tr><th>operation</th><th>queued / in progress</th><th>succeeded</th><th>failed / cancelled / timed out</th></tr>
 *   <tr><td>provision</td><td>provisioning</td><td>provisioned</td><td>failed_provisioning</td></tr>
 *   <tr><td>upgrade</td><td>upgrading</td><td>provisioned</td><td>failed_upgrade</td></tr>
 *   <tr><td>decommission</td><td>decommissioning</td><td>decommissioned</td><td>failed_decommission</td></tr>
 * </table>
 *
 * Stateless and thread-safe.
 */
public final class TenantStatusRules {
    private TenantStatusRules() {
    }

    /**
     * @param operation the job's operation
     * @param status the job's status
     * @return the tenant status that goes with it
     */
    public static String tenantStatusFor(Operation operation, JobStatus status) {
        return switch (status) {
            case QUEUED, IN_PROGRESS -> switch (operation) {
                case PROVISION -> TenantStatus.PROVISIONING;
                case UPGRADE -> TenantStatus.UPGRADING;
                case DECOMMISSION -> TenantStatus.DECOMMISSIONING;
            };
            case SUCCEEDED -> operation == Operation.DECOMMISSION ? TenantStatus.DECOMMISSIONED : TenantStatus.PROVISIONED;
            case FAILED, CANCELLED, TIMED_OUT -> switch (operation) {
                case PROVISION -> TenantStatus.FAILED_PROVISIONING;
                case UPGRADE -> TenantStatus.FAILED_UPGRADE;
                case DECOMMISSION -> TenantStatus.FAILED_DECOMMISSION;
            };
        };
    }
}
