package com.dotmac.provisioning.spring.web;

import java.time.Duration;
import java.util.Objects;

/**
 * How the live event streams ({@link EventStreamController}) behave: bound from {@code provisioning.web.event-stream.*}.
 *
 * @param pollInterval how often the shared task reads the open streams' timelines and sends what is new
 * @param heartbeat after how long without a message a stream gets a comment line (keeps proxies from closing it)
 * @param retry the reconnection delay suggested to clients ({@code retry:})
 * @param maxConnections the most streams open at once on this node; one more is answered 503
 * @param maxDuration how long one stream stays open; then the server closes it and the client resumes with
 *     {@code Last-Event-ID}
 */
public record EventStreamSettings(Duration pollInterval, Duration heartbeat, Duration retry, int maxConnections,
        Duration maxDuration) {
    /** Default poll interval: 500 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    /** Default heartbeat: 15 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** Default reconnection delay suggested to clients: 3 s. */
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(3);
    /** Default limit of open streams per node: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Default longest stream: 30 min. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(30);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the setting when a duration is not positive or the limit is below 1
     */
    public EventStreamSettings {
        positive(pollInterval, "poll-interval");
        positive(heartbeat, "heartbeat");
        positive(retry, "retry");
        positive(maxDuration, "max-duration");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("provisioning.web.event-stream.max-connections must be at least 1");
        }
    }

    /** @return the defaults */
    public static EventStreamSettings defaults() {
        return new EventStreamSettings(DEFAULT_POLL_INTERVAL, DEFAULT_HEARTBEAT, DEFAULT_RETRY,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_DURATION);
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("provisioning.web.event-stream." + name + " must be positive");
        }
    }
}
