package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Starts and steers rollouts ({@link com.dotmac.provisioning.TenantProvisioner#rollouts()}). A rollout is durable
 * and progressed by whichever node sweeps: every change here is stored at once, and nodes pick it up within a sweep.
 *
 * <p>Thread-safe.
 */
public interface Rollouts {

    /**
     * Checks a rollout request against the tenants, and stores the rollout with all its members (in a bounded number
     * of statements). Its first members start at the next sweep.
     *
     * @param request what to roll out, to whom, and how
     * @return the rollout, {@code running}
     * @throws InvalidRequestException naming every bad field; for listed tenants that do not exist, {@code tenants}
     *     with each unknown id; for a selection by status that selects nobody (or that the tenant directory cannot
     *     answer), {@code selection.status}; nothing is stored
     * @throws com.dotmac.provisioning.ProvisioningUnavailableException when the repository cannot be reached
     */
    default Rollout start(RolloutRequest request) {
        return submit(request).rollout();
    }

    /**
     * As {@link #start}, and says whether this call created the rollout: a request whose idempotency key was used
     * already (by an earlier request, or by one running at the same moment) gets that rollout, with
     * {@link RolloutSubmission#created()} false, without being checked against the tenants again and without
     * storing anything.
     *
     * @param request what to roll out, to whom, and how
     * @return the rollout, and whether this call created it
     * @throws InvalidRequestException as {@link #start}
     * @throws com.dotmac.provisioning.ProvisioningUnavailableException when the repository cannot be reached
     */
    RolloutSubmission submit(RolloutRequest request);

    /**
     * @param rolloutId a rollout id
     * @return the rollout with its member counts, or empty
     */
    Optional<Rollout> find(String rolloutId);

    /**
     * @param page the page number, from 1
     * @param pageSize rollouts per page, 1-100
     * @return rollouts, newest first
     * @throws InvalidRequestException naming {@code page} or {@code page_size} when out of range
     */
    RolloutPage page(int page, int pageSize);

    /**
     * @param rolloutId the rollout
     * @param status only members in this status, or null for all
     * @param page the page number, from 1
     * @param pageSize members per page, 1-1000
     * @return its members in rollout order, each with its job and failure
     * @throws RolloutNotFoundException when the rollout does not exist
     * @throws InvalidRequestException naming {@code page} or {@code page_size} when out of range
     */
    List<RolloutMember> members(String rolloutId, @Nullable RolloutMemberStatus status, int page, int pageSize);

    /**
     * @param rolloutId the rollout
     * @return its timeline, oldest first
     * @throws RolloutNotFoundException when the rollout does not exist
     */
    List<RolloutEvent> events(String rolloutId);

    /**
     * Pauses a running rollout: no member job starts until it is resumed; jobs in flight run to their end.
     *
     * @param rolloutId the rollout
     * @param requestedBy who asks
     * @return the rollout, {@code paused}
     * @throws RolloutNotFoundException when the rollout does not exist
     * @throws IllegalRolloutTransitionException when it is not running
     */
    Rollout pause(String rolloutId, String requestedBy);

    /**
     * Resumes a paused rollout. Members whose job succeeded are never run again; the failed ones are retried (a new
     * job each) or skipped, as {@code failed} says, so that the failures that paused it do not count again.
     *
     * @param rolloutId the rollout
     * @param requestedBy who asks
     * @param failed what to do with the members that failed
     * @return the rollout, {@code running}
     * @throws RolloutNotFoundException when the rollout does not exist
     * @throws IllegalRolloutTransitionException when it is not paused
     */
    Rollout resume(String rolloutId, String requestedBy, FailedMembers failed);

    /**
     * Aborts a running or paused rollout: members not started never will ({@code skipped}); its jobs in flight run
     * to their end, or are cancelled when {@code cancelRunningJobs}. It is {@code aborting} until they have ended,
     * then {@code aborted}.
     *
     * @param rolloutId the rollout
     * @param requestedBy who asks
     * @param cancelRunningJobs whether to cancel the member jobs in flight
     * @return the rollout, {@code aborting}
     * @throws RolloutNotFoundException when the rollout does not exist
     * @throws IllegalRolloutTransitionException when it already ended or is aborting
     */
    Rollout abort(String rolloutId, String requestedBy, boolean cancelRunningJobs);

    /** What a resume does with the members whose job failed. */
    enum FailedMembers {
        /** Each gets a new job. */
        RETRY,
        /** They stay as they are, {@code skipped}: the rollout goes on without them. */
        SKIP
    }
}
