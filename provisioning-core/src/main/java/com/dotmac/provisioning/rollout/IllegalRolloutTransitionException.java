package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.ConflictException;
import java.util.stream.Collectors;

/** A rollout move its current status does not allow, e.g. resuming a running rollout (REST: 409). */
public class IllegalRolloutTransitionException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final RolloutStatus from;
    private final RolloutTransition transition;

    /**
     * @param from the rollout's current status
     * @param transition the refused move
     */
    public IllegalRolloutTransitionException(RolloutStatus from, RolloutTransition transition) {
        super("a " + from.wireName() + " rollout cannot be " + transition.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ') + (from.isTerminal() ? " (" + from.wireName() + " is final)"
                : " (only a rollout that is " + transition.from().stream().map(RolloutStatus::wireName).sorted()
                        .collect(Collectors.joining(" or ")) + ")"));
        this.from = from;
        this.transition = transition;
    }

    /** @return the status the rollout had */
    public RolloutStatus from() {
        return from;
    }

    /** @return the refused move */
    public RolloutTransition transition() {
        return transition;
    }
}
