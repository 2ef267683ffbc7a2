package com.dotmac.provisioning.rollout;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One tenant of a rollout: its place, its wave and its outcome. Immutable and thread-safe; the {@code with...}
 * methods return changed copies.
 *
 * @param rolloutId the rollout
 * @param tenantId the tenant
 * @param position its place in the rollout (0 first): members start in this order
 * @param wave its wave (0 first; the canary's, when there is one)
 * @param attempt how many times a resume sent it back to waiting (0 at first): part of its job's idempotency key
 * @param status where it stands
 * @param jobId its job for this rollout, once requested; else null
 * @param errorCode why it failed (the job's error code, or the refusal's), or null
 * @param errorMessage the failure for an operator, or null; never a secret
 * @param updatedAt when it last changed
 */
public record RolloutMember(
        String rolloutId,
        String tenantId,
        int position,
        int wave,
        int attempt,
        RolloutMemberStatus status,
        @Nullable String jobId,
        @Nullable String errorCode,
        @Nullable String errorMessage,
        Instant updatedAt) {

    /** Checks the required fields. */
    public RolloutMember {
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * @param rolloutId the rollout
     * @param tenantId the tenant
     * @param position its place
     * @param wave its wave
     * @param at when the rollout was created
     * @return a member waiting for its wave
     */
    public static RolloutMember waiting(String rolloutId, String tenantId, int position, int wave, Instant at) {
        return new RolloutMember(rolloutId, tenantId, position, wave, 0, RolloutMemberStatus.WAITING, null, null,
                null, at);
    }

    /** @param job its job @param at when @return the member, started */
    public RolloutMember started(String job, Instant at) {
        return new RolloutMember(rolloutId, tenantId, position, wave, attempt, RolloutMemberStatus.STARTED, job, null,
                null, at);
    }

    /**
     * @param outcome {@link RolloutMemberStatus#SUCCEEDED}, {@link RolloutMemberStatus#FAILED} or
     *     {@link RolloutMemberStatus#SKIPPED}
     * @param code the error code, or null
     * @param message the failure, or null
     * @param at when
     * @return the member with that outcome (keeping its job)
     */
    public RolloutMember ended(RolloutMemberStatus outcome, @Nullable String code, @Nullable String message,
            Instant at) {
        return new RolloutMember(rolloutId, tenantId, position, wave, attempt, outcome, jobId, code, message, at);
    }

    /** @param at when @return the member waiting again (a resume retries it), its next attempt, without a job */
    public RolloutMember waitingAgain(Instant at) {
        return new RolloutMember(rolloutId, tenantId, position, wave, attempt + 1, RolloutMemberStatus.WAITING, null,
                null, null, at);
    }

    /** @return the idempotency key of this attempt's job: {@code rollout:<rollout id>:<attempt>} */
    public String jobKey() {
        return "rollout:" + rolloutId + ":" + attempt;
    }
}
