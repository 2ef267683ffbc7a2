package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.webhooks.sender.Webhooks;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the webhooks' dispatcher with the application context (after the provisioner) and stops it before the
 * provisioner; deliveries under way finish on the dispatcher's pool, and the queue keeps the rest for the next start
 * (durable with a database-backed store). Thread-safe.
 */
public final class WebhooksLifecycle implements SmartLifecycle {
    private final Webhooks webhooks;

    /** @param webhooks the webhooks whose dispatcher to start and stop */
    public WebhooksLifecycle(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void start() {
        webhooks.dispatcher().start();
    }

    @Override
    public void stop() {
        webhooks.dispatcher().stop();
    }

    @Override
    public boolean isRunning() {
        return webhooks.dispatcher().isRunning();
    }

    /** @return just after {@link ProvisioningLifecycle#PHASE}: started after the engine, stopped before it */
    @Override
    public int getPhase() {
        return ProvisioningLifecycle.PHASE + 1;
    }
}
