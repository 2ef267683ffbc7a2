package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.TenantProvisioner;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link TenantProvisioner}'s engine with the application context and stops it gracefully before the
 * context closes its data source (a job in progress finishes its current step; the rest continues on another node
 * or after the restart).
 */
public final class ProvisioningLifecycle implements SmartLifecycle {
    /** Early start, late stop: before the web server takes requests, after it stopped taking them. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final TenantProvisioner provisioner;
    private volatile boolean running;

    /** @param provisioner the provisioner to start and stop */
    public ProvisioningLifecycle(TenantProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public void start() {
        provisioner.start();
        running = true;
    }

    @Override
    public void stop() {
        provisioner.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
