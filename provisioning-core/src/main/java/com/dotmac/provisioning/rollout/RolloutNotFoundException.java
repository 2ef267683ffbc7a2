package com.dotmac.provisioning.rollout;

import com.dotmac.provisioning.ProvisioningException;

/** No rollout has the id asked for (REST: 404). */
public class RolloutNotFoundException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final String rolloutId;

    /** @param rolloutId the id asked for */
    public RolloutNotFoundException(String rolloutId) {
        super("no rollout " + rolloutId);
        this.rolloutId = rolloutId;
    }

    /** @return the id asked for */
    public String rolloutId() {
        return rolloutId;
    }
}
