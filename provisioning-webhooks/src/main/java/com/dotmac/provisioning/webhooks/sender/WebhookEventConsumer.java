package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.spi.WebhookDeliveryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link EventConsumer} of the webhooks: queues each event, in the {@link WebhookDeliveryStore}, for every
 * subscription it matches, and wakes the dispatcher. It never calls a receiver, so a slow or dead receiver never
 * holds back the outbox, job processing or other receivers; the event is handed over once it is queued. Register it
 * with {@code TenantProvisioner.builder().eventConsumer(Webhooks.CONSUMER_NAME, webhooks.eventConsumer())}.
 * Thread-safe.
 */
public final class WebhookEventConsumer implements EventConsumer {
    private final List<WebhookSubscription> subscriptions;
    private final WebhookDeliveryStore store;
    private final Clock clock;
    private final Runnable wakeUp;

    /**
     * @param subscriptions the subscriptions
     * @param store where deliveries are queued
     * @param clock the time deliveries are due
     * @param wakeUp called after something was queued (e.g. {@link WebhookDispatcher#wakeUp()}); must not block
     */
    public WebhookEventConsumer(List<WebhookSubscription> subscriptions, WebhookDeliveryStore store, Clock clock,
            Runnable wakeUp) {
        this.subscriptions = List.copyOf(subscriptions);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
    }

    /**
     * Queues the event for the subscriptions that want it.
     *
     * @param event the event
     * @throws RuntimeException when the store fails: the outbox hands the event over again later
     */
    @Override
    public void accept(ProvisioningEvent event) {
        List<String> names = new ArrayList<>(subscriptions.size());
        for (WebhookSubscription s : subscriptions) {
            if (s.matches(event)) {
                names.add(s.name());
            }
        }
        if (!names.isEmpty()) {
            store.enqueue(event, names, clock.instant());
            wakeUp.run();
        }
    }

    /** @return the names of the subscriptions */
    @Override
    public String toString() {
        return "WebhookEventConsumer" + subscriptions.stream().map(WebhookSubscription::name).toList();
    }
}
