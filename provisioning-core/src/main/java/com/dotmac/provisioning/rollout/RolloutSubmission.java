package com.dotmac.provisioning.rollout;

import java.util.Objects;

/**
 * What {@link Rollouts#submit} did with a request: the rollout, and whether this call created it or returned the
 * rollout an earlier (or concurrent) request with the same idempotency key created. Decided by what the repository
 * stored, so two concurrent requests with one key get one {@code created} and one not. Immutable.
 *
 * @param rollout the new rollout, or the one that holds the request's idempotency key
 * @param created whether this call created the rollout (an API answers 201 Created, otherwise 200 OK)
 */
public record RolloutSubmission(Rollout rollout, boolean created) {
    /** Checks the rollout is present. */
    public RolloutSubmission {
        Objects.requireNonNull(rollout, "rollout");
    }
}
