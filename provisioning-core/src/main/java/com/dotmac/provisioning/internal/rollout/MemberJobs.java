package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;

/**
 * What the rollout engine needs of the job engine: request a member's job, cancel one, and the room left for
 * rollout runs under the cap on runs in flight. Implemented by the provisioner; thread-safe.
 */
public interface MemberJobs {
    /**
     * @param request a member's request (with its idempotency key)
     * @return its job (the one created earlier, for a repeated key)
     * @throws RuntimeException as {@link com.dotmac.provisioning.TenantProvisioner#request}
     */
    ProvisioningJob submit(ProvisioningRequest request);

    /**
     * Checks a request against the host's allow-lists (extra vars, template overrides), as a request is checked
     * before anything is stored.
     *
     * @param request a member's request (a dotmac-hosted sample: connection profiles are checked per member)
     * @throws com.dotmac.provisioning.InvalidRequestException naming every field the allow-lists refuse
     */
    void checkAllowed(ProvisioningRequest request);

    /**
     * Cancels a member's job, if it has not ended.
     *
     * @param jobId the job
     * @param requestedBy who aborted the rollout
     * @param reason why
     */
    void cancel(String jobId, String requestedBy, String reason);

    /**
     * @return how many more runs rollouts may start now without eating into the share of the cap on runs in flight
     *     that is kept for single requests; {@link Integer#MAX_VALUE} when there is no cap
     */
    int roomForRolloutRuns();
}
