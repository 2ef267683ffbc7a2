package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.ProvisioningException;

/**
 * The provisioner has no rollout repository, so the rollout endpoints cannot serve (REST: 501). The starter configures
 * one whenever it configures the job repository; a host with a job repository of its own defines a
 * {@code RolloutRepository} bean too.
 */
public class RolloutsUnavailableException extends ProvisioningException {
    private static final long serialVersionUID = 1L;

    /** The rollouts are not configured. */
    public RolloutsUnavailableException() {
        super("rollouts are not configured on this platform: define a RolloutRepository bean");
    }
}
