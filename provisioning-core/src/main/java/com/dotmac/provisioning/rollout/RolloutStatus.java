package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.rules.WireNames;

/**
 * The status of a rollout. Its wire form (JSON, database) is the lower snake case name, e.g. {@code paused}. The
 * allowed moves are listed in {@link RolloutTransition}; {@link #COMPLETED} and {@link #ABORTED} are terminal.
 */
public enum RolloutStatus {
    /** Its members' jobs are being started, wave after wave. */
    RUNNING,
    /** No new member job starts (an operator paused it, or its failures crossed the threshold); running ones end. */
    PAUSED,
    /** Abort was asked: no new member job starts, and it ends once the members' running jobs have ended. */
    ABORTING,
    /** Every member's job ended, within the failure threshold. Terminal. */
    COMPLETED,
    /** Aborted: the members that had not started never will. Terminal. */
    ABORTED;

    /** @return whether the rollout never changes again */
    public boolean isTerminal() {
        return this == COMPLETED || this == ABORTED;
    }

    /** @return the wire form, e.g. {@code aborting} */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * @param wireName e.g. {@code paused}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static RolloutStatus fromWire(String wireName) {
        return WireNames.parse(RolloutStatus.class, wireName, "rollout status");
    }
}
