package com.dotmac.provisioning.rollout;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every move a rollout can make, with the statuses it may start from and the status it reaches. There are no others:
 * {@link #apply} refuses anything else, as {@link com.dotmac.provisioning.state.JobStateMachine} does for jobs.
 *
 * <pre>
 * RUNNING ──threshold crossed / paused──▶ PAUSED ──resumed──▶ RUNNING
 *    │                                       │
 *    ├──every member ended──▶ COMPLETED      └──abort──▶ ABORTING ──running jobs ended──▶ ABORTED
 *    └──abort──▶ ABORTING
 * </pre>
 */
public enum RolloutTransition {
    /** An operator paused it. */
    PAUSED(EnumSet.of(RolloutStatus.RUNNING), RolloutStatus.PAUSED),
    /** The failures of its finished jobs crossed the threshold. */
    THRESHOLD_CROSSED(EnumSet.of(RolloutStatus.RUNNING), RolloutStatus.PAUSED),
    /** An operator resumed it. */
    RESUMED(EnumSet.of(RolloutStatus.PAUSED), RolloutStatus.RUNNING),
    /** Every member's job ended, within the threshold. */
    COMPLETED(EnumSet.of(RolloutStatus.RUNNING), RolloutStatus.COMPLETED),
    /** An operator aborted it. */
    ABORT_REQUESTED(EnumSet.of(RolloutStatus.RUNNING, RolloutStatus.PAUSED), RolloutStatus.ABORTING),
    /** The last running member job of an aborted rollout ended. */
    ABORTED(EnumSet.of(RolloutStatus.ABORTING), RolloutStatus.ABORTED);

    private final Set<RolloutStatus> from;
    private final RolloutStatus to;

    RolloutTransition(Set<RolloutStatus> from, RolloutStatus to) {
        this.from = Set.copyOf(from);
        this.to = to;
    }

    /** @return the statuses the rollout may have for this move */
    public Set<RolloutStatus> from() {
        return from;
    }

    /** @return the status the rollout gets */
    public RolloutStatus to() {
        return to;
    }

    /**
     * @param current the rollout's status
     * @return the status after this move
     * @throws IllegalRolloutTransitionException when the move cannot start from {@code current}
     */
    public RolloutStatus apply(RolloutStatus current) {
        if (!from.contains(current)) {
            throw new IllegalRolloutTransitionException(current, this);
        }
        return to;
    }
}
