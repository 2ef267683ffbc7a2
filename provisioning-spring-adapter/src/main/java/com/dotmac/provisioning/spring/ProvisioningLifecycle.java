package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.TenantProvisioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link TenantProvisioner}'s engine with the application context and stops it gracefully before the
 * context closes its data source (a job in progress finishes its current step; the rest continues on another node
 * or after the restart). At each start it logs one INFO line with the effective configuration (runner, repository,
 * dialect, intervals and timeouts, callbacks, cap, retention; never a secret). Thread-safe.
 */
public final class ProvisioningLifecycle implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningLifecycle.class);
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
        log.info("{}", EffectiveConfiguration.of(provisioner).logLine());
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
