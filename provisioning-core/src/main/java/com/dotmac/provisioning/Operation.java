package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.WireNames;

/** What a job does to a tenant's environment. Wire form: {@code provision}, {@code upgrade}, {@code decommission}. */
public enum Operation {
    /** Build the tenant's environment. */
    PROVISION,
    /** Reconcile the tenant's environment to a newer release ({@code release_version}). */
    UPGRADE,
    /** Remove the tenant's environment. */
    DECOMMISSION;

    /** @return the wire form, e.g. {@code upgrade}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * Parses the wire form.
     *
     * @param wireName e.g. {@code upgrade}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static Operation fromWire(String wireName) {
        return WireNames.parse(Operation.class, wireName, "operation");
    }
}
