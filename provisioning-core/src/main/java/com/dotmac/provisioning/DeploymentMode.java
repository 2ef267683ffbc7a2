package com.dotmac.provisioning;

import com.dotmac.provisioning.rules.WireNames;

/** Where a tenant's environment runs. Wire form: {@code dotmac_hosted}, {@code customer_hosted}. */
public enum DeploymentMode {
    /** On the operator's own infrastructure (a configured inventory). */
    DOTMAC_HOSTED,
    /** On servers the customer supplies, reached through the job's {@link ConnectionProfile}. */
    CUSTOMER_HOSTED;

    /** @return the wire form, e.g. {@code customer_hosted}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * Parses the wire form.
     *
     * @param wireName e.g. {@code customer_hosted}
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values when {@code wireName} is none of them
     */
    public static DeploymentMode fromWire(String wireName) {
        return WireNames.parse(DeploymentMode.class, wireName, "deployment mode");
    }
}
