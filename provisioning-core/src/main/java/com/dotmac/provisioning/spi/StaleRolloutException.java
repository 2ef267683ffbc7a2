package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ProvisioningException;

/**
 * A rollout write lost an optimistic version check: somebody else (another node, or an operator's pause, resume or
 * abort) changed the rollout since it was read. The writer reads it again and decides anew.
 */
public class StaleRolloutException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    private final String rolloutId;

    /**
     * @param rolloutId the rollout
     * @param expectedVersion the version the writer had read
     */
    public StaleRolloutException(String rolloutId, long expectedVersion) {
        super("rollout " + rolloutId + " was changed concurrently (expected version " + expectedVersion + ")");
        this.rolloutId = rolloutId;
    }

    /** @return the rollout */
    public String rolloutId() {
        return rolloutId;
    }
}
