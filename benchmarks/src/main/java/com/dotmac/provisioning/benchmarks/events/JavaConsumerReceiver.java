package com.dotmac.provisioning.benchmarks.events;

import com.dotmac.provisioning.TenantProvisioner;
import java.time.Clock;

/**
 * The engine's own Java API as the receiving end: an {@code EventConsumer} registered on the builder records each
 * event as it is handed over (what a host publishing to its own message bus sees, before its bus). Thread-safe: it
 * holds only the clock and writes to the thread-safe {@link Receipts}.
 */
public final class JavaConsumerReceiver implements EventReceiver {
    /** The consumer's name on the engine. */
    public static final String CONSUMER = "benchmark-receiver";

    private final Clock clock;

    /** @param clock the time of receipt (the real clock: the events' {@code at} is the engine's real time) */
    public JavaConsumerReceiver(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "Java EventConsumer (in process)";
    }

    @Override
    public void attach(TenantProvisioner.Builder builder, Receipts receipts) {
        builder.eventConsumer(CONSUMER, event -> receipts.received(event.id(), event.at(), clock.instant()));
    }

    @Override
    public void close() {
        // nothing to stop: the consumer lives in the engine
    }
}
