package com.dotmac.provisioning.events;

/**
 * Receives the events of the durable outbox, registered by name with
 * {@code TenantProvisioner.builder().eventConsumer(name, consumer)}: a host publishes them to its own message bus,
 * a webhook sender posts them.
 *
 * <p><b>At least once.</b> Every event stored in the outbox (in the same transaction as the status change it
 * reports, so none is lost when a node dies and none exists for a change that rolled back) is handed to every
 * registered consumer until it returns normally. A consumer may see an event again: when it threw (the event comes
 * back after the engine's retry back-off), or when a node died or its lease on the event ran out between the
 * delivery and its record. Deduplicate by {@link ProvisioningEvent#id()}, which stays the same on every delivery.
 *
 * <p><b>Order.</b> Events of one tenant are delivered in the order they were stored: the next one is handed out only
 * when the one before it was delivered to every consumer (so a consumer that keeps throwing holds back its tenant's
 * later events, for every consumer; other tenants go on). Each consumer's progress on an event is recorded by its
 * name, so a consumer that accepted an event does not get it again because another one threw.
 *
 * <p><b>Threads.</b> Events are delivered on a thread of their own (never the engine's), one event at a time per
 * node; a slow consumer delays events, not jobs. Register the same consumers (by name) on every node: an event is
 * done when every consumer registered on the node that delivers it has it.
 */
@FunctionalInterface
public interface EventConsumer {
    /**
     * Takes one event. Return normally only when it is safely handed on (e.g. the message bus acknowledged it).
     *
     * @param event the event
     * @throws Exception when it could not be taken: the event comes back later, after a back-off
     */
    void accept(ProvisioningEvent event) throws Exception;
}
