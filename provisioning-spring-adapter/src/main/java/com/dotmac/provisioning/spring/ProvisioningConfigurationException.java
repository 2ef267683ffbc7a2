package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.ProvisioningException;

/**
 * Something the provisioning library needs is missing or contradictory in the Spring configuration. Start-up fails
 * with {@link #getMessage()} as the description and {@link #action()} as what to do.
 */
public class ProvisioningConfigurationException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * @param description what is wrong
     * @param action what to do about it
     */
    public ProvisioningConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    /** @return what the operator should do */
    public String action() {
        return action;
    }
}
