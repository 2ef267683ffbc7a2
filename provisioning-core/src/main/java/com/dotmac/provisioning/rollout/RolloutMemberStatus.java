package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.rules.WireNames;

/**
 * Where one tenant of a rollout stands. Its wire form is the lower snake case name, e.g. {@code waiting}.
 * {@link #SUCCEEDED}, {@link #FAILED} and {@link #SKIPPED} are final until a resume retries the failed ones.
 */
public enum RolloutMemberStatus {
    /** Its job has not been requested yet (its wave has not started, the cap is reached, or it has a job of its own). */
    WAITING,
    /** Its job was requested and has not ended. */
    STARTED,
    /** Its job succeeded. */
    SUCCEEDED,
    /** Its job failed, was cancelled or timed out, or its request was refused. */
    FAILED,
    /** It will not run: the rollout was aborted before its job was requested, or a resume skipped it. */
    SKIPPED;

    /** @return whether the member's part is over (its job ended, or it will never run) */
    public boolean isDone() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }

    /** @return the wire form, e.g. {@code started} */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * @param wireName e.g. {@code failed}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static RolloutMemberStatus fromWire(String wireName) {
        return WireNames.parse(RolloutMemberStatus.class, wireName, "rollout member status");
    }
}
