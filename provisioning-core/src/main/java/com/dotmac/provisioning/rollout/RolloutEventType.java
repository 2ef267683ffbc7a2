package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.rules.WireNames;

/** What a {@link RolloutEvent} records. Its wire form is the lower snake case name, e.g. {@code wave_started}. */
public enum RolloutEventType {
    /** The rollout was created with its members. */
    CREATED,
    /** The rollout's status changed (its {@code from} and {@code to} say how). */
    STATUS_CHANGED,
    /** A wave's members began to start. */
    WAVE_STARTED,
    /** A member could not start now (e.g. the tenant has an active job of its own) and is retried later. */
    MEMBER_DEFERRED,
    /** A member's job request was refused (e.g. the tenant no longer exists): the member failed. */
    MEMBER_REFUSED;

    /** @return the wire form, e.g. {@code wave_started} */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * @param wireName e.g. {@code created}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static RolloutEventType fromWire(String wireName) {
        return WireNames.parse(RolloutEventType.class, wireName, "rollout event type");
    }
}
