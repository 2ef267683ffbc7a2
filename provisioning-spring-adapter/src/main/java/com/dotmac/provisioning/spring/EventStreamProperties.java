package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.spring.web.EventStreamSettings;
import java.time.Duration;

/**
 * The REST API's live event streams (SSE), bound under {@code provisioning.web.event-stream} as part of
 * {@link ProvisioningProperties}. The defaults repeat {@link EventStreamSettings}' constants (Spring MVC is optional,
 * so the web package is not loaded here; a test holds both equal). Not thread-safe: bound once at start-up.
 */
public class EventStreamProperties {
    /** How often the open streams' timelines are read and what is new is sent. */
    private Duration pollInterval = Duration.ofMillis(500);

    /** After how long without a message a stream gets a heartbeat comment (so proxies keep the connection). */
    private Duration heartbeat = Duration.ofSeconds(15);

    /** The reconnection delay suggested to clients (the SSE retry field). */
    private Duration retry = Duration.ofSeconds(3);

    /** The most streams open at once on one node; one more is answered 503. */
    private int maxConnections = EventStreamSettings.DEFAULT_MAX_CONNECTIONS;

    /** How long one stream stays open; then the server ends it and the client resumes with Last-Event-ID. */
    private Duration maxDuration = Duration.ofMinutes(30);

    /** @return how often the open streams are read */
    public Duration getPollInterval() {
        return pollInterval;
    }

    /** @param pollInterval how often the open streams are read */
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** @return after how long idle a stream gets a heartbeat comment */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    /** @param heartbeat after how long idle a stream gets a heartbeat comment */
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** @return the reconnection delay suggested to clients */
    public Duration getRetry() {
        return retry;
    }

    /** @param retry the reconnection delay suggested to clients */
    public void setRetry(Duration retry) {
        this.retry = retry;
    }

    /** @return the most streams open at once on one node */
    public int getMaxConnections() {
        return maxConnections;
    }

    /** @param maxConnections the most streams open at once on one node */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** @return how long one stream stays open */
    public Duration getMaxDuration() {
        return maxDuration;
    }

    /** @param maxDuration how long one stream stays open */
    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }
}
