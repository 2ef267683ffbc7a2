package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.spi.EventOutbox;
import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The provisioner's event delivery: the outbox delivery worker ({@link EventDelivery}) on a thread of its own
 * ({@link Scheduler#scheduleOnOwnThread}), when consumers are registered; and the checks of the builder's settings.
 * Thread-safe: the task handle is guarded by {@code this}.
 */
public final class EventDeliveryTask {
    /** How often each node looks for events to deliver, by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final EngineContext context;
    private final EventDelivery delivery;
    private final Duration interval;
    private Scheduler.@Nullable Cancellable task;

    private EventDeliveryTask(EngineContext context, EventDelivery delivery, Duration interval) {
        this.context = context;
        this.delivery = delivery;
        this.interval = interval;
    }

    /**
     * @param context the engine's context
     * @param consumers the consumers by name
     * @param interval between two delivery runs
     * @return the delivery of the consumers' events, or null when none is registered
     * @throws IllegalArgumentException when consumers are registered but the repository has no outbox or records no events
     */
    public static @Nullable EventDeliveryTask create(EngineContext context, Map<String, EventConsumer> consumers,
            Duration interval) {
        if (consumers.isEmpty()) {
            return null;
        }
        if (!(context.repository() instanceof EventOutbox outbox)) {
            throw new IllegalArgumentException("eventConsumer needs a repository with an outbox (EventOutbox: "
                    + "InMemoryJobRepository, JdbcJobRepository); " + context.repository().getClass().getSimpleName()
                    + " has none");
        }
        if (!outbox.recordsEvents()) {
            throw new IllegalArgumentException("eventConsumer needs a repository that records events, and "
                    + context.repository().getClass().getSimpleName() + " records none: make it with"
                    + " JdbcJobRepository.withOutbox() (and JdbcRolloutRepository.withOutbox()), or"
                    + " InMemoryJobRepository.recordingEvents()");
        }
        return new EventDeliveryTask(context, new EventDelivery(context, outbox, consumers), interval);
    }

    /**
     * @param name a consumer's name
     * @return whether it is 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
     */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * @param v a delivery interval
     * @return it
     * @throws IllegalArgumentException when it is not positive
     */
    public static Duration checkInterval(Duration v) {
        Objects.requireNonNull(v, "eventDeliveryInterval");
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException("eventDeliveryInterval must be positive, was " + v);
        }
        return v;
    }

    /** Starts the periodic delivery. Idempotent. */
    public synchronized void start() {
        if (task == null) {
            task = context.scheduler().scheduleOnOwnThread("events", delivery::deliver, interval);
        }
    }

    /** Stops it; a run in progress finishes. Idempotent. */
    public synchronized void stop() {
        Scheduler.Cancellable t = task;
        if (t != null) {
            t.cancel();
            task = null;
        }
    }
}
