package com.dotmac.provisioning.internal.rollout;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.OperationNotAllowedException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantNotFoundException;
import com.dotmac.provisioning.rollout.MemberJobSpec;
import com.dotmac.provisioning.rollout.RolloutErrorCodes;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutMemberStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Starts one rollout member: requests its job through the job engine, with the tenant's deployment (the rollout's
 * mode for a provision, else the mode and connection profile of the tenant's latest job) and the member's
 * idempotency key, so that a node that dies between the request and recording it requests the same job again.
 *
 * <p>Stateless and thread-safe.
 */
final class MemberStarter {
    private final RolloutContext ctx;

    MemberStarter(RolloutContext ctx) {
        this.ctx = ctx;
    }

    /**
     * What starting a member did.
     *
     * @param member the member as it is now: started, failed, or unchanged (deferred)
     * @param deferredBecause why it stays waiting (the tenant has an active job of its own), or null
     */
    record Outcome(RolloutMember member, @org.jspecify.annotations.Nullable String deferredBecause) {
    }

    /**
     * @param spec what the member's job is made of
     * @param member a waiting member
     * @param now the time
     * @return the outcome
     * @throws RuntimeException when the job engine cannot be reached (the member stays waiting)
     */
    Outcome start(MemberJobSpec spec, RolloutMember member, Instant now) {
        String tenantId = member.tenantId();
        DeploymentMode mode;
        ConnectionProfile profile = null;
        if (spec.operation() == Operation.PROVISION) {
            mode = Objects.requireNonNull(spec.deploymentMode(), "a provision rollout names its deployment mode");
        } else {
            List<ProvisioningJob> latest = ctx.jobs().page(tenantId, 1, 1).items();
            if (latest.isEmpty()) {
                return failed(member, RolloutErrorCodes.NO_EARLIER_JOB, "tenant " + tenantId + " has no job to take"
                        + " its deployment mode from: provision it first", now);
            }
            mode = latest.get(0).deploymentMode();
            profile = latest.get(0).connectionProfile();
        }
        try {
            ProvisioningJob job = ctx.memberJobs().submit(spec.memberRequest(tenantId, mode, profile,
                    member.jobKey()));
            return new Outcome(member.started(job.id(), now), null);
        } catch (ActiveJobConflictException e) {
            return new Outcome(member, "tenant " + tenantId + " has an active job of its own ("
                    + e.activeJobId() + "); retried later");
        } catch (TenantNotFoundException e) {
            return failed(member, RolloutErrorCodes.TENANT_NOT_FOUND, e.getMessage(), now);
        } catch (OperationNotAllowedException e) {
            return failed(member, RolloutErrorCodes.OPERATION_NOT_ALLOWED, e.getMessage(), now);
        } catch (InvalidRequestException e) {
            return failed(member, RolloutErrorCodes.INVALID_REQUEST, e.fieldErrors().stream()
                    .map(FieldError::toString).collect(Collectors.joining("; ")), now);
        }
    }

    private static Outcome failed(RolloutMember member, String code, @org.jspecify.annotations.Nullable String message,
            Instant now) {
        return new Outcome(member.ended(RolloutMemberStatus.FAILED, code, message == null ? code : message, now),
                null);
    }
}
