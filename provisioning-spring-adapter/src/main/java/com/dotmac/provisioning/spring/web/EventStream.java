package com.dotmac.provisioning.spring.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One open event stream: the position its client has, what it sends on each poll (new entries, a heartbeat comment
 * when idle), and when it ends (the timeline ended and its last entry was sent, the client went away, the maximum
 * duration passed, or the node shuts down). Polls of one stream never overlap ({@link #tryClaim()}); the
 * {@link EventStreams} task runs them. Thread-safe.
 */
final class EventStream {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final String name;
    private final SseEmitter emitter;
    private final EventTimeline timeline;
    private final JsonMapper json;
    private final EventStreamSettings settings;
    private final long openedNanos = System.nanoTime();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int position;
    private boolean started;
    private boolean readFailing;
    private long lastWriteNanos = openedNanos;

    /**
     * @param name what it follows, for logs (e.g. {@code job 0a1b...}); never a secret
     * @param emitter the response
     * @param timeline what it follows
     * @param after the entries the client has already
     * @param json the API's mapper, writing one line
     * @param settings heartbeat, retry hint and maximum duration
     */
    EventStream(String name, SseEmitter emitter, EventTimeline timeline, int after, JsonMapper json,
            EventStreamSettings settings) {
        this.name = name;
        this.emitter = emitter;
        this.timeline = timeline;
        this.position = after;
        this.json = json;
        this.settings = settings;
    }

    /** @return whether the caller may run {@link #poll()} now (no other poll of this stream is running) */
    boolean tryClaim() {
        return !closed.get() && busy.compareAndSet(false, true);
    }

    /** Sends what is new, or a heartbeat; ends the stream when its timeline ended. Call after {@link #tryClaim()}. */
    void poll() {
        try {
            pollOnce();
        } finally {
            busy.set(false);
        }
    }

    /** @return whether the stream has ended */
    boolean isClosed() {
        return closed.get();
    }

    /** Ends the stream (the response completes); the client may resume with {@code Last-Event-ID}. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                emitter.complete();
            } catch (RuntimeException e) {
                log.debug("event stream of {}: completing failed", name, e);
            }
        }
    }

    /** Marks the stream ended without writing (the client went away or the response failed). */
    void abandon() {
        closed.set(true);
    }

    private synchronized void pollOnce() {
        if (closed.get()) {
            return;
        }
        long now = System.nanoTime();
        if (now - openedNanos >= settings.maxDuration().toNanos()) {
            close();
            return;
        }
        EventTimeline.Snapshot snapshot;
        try {
            snapshot = timeline.read(position);
            readFailing = false;
        } catch (RuntimeException e) {
            if (!readFailing) {
                log.warn("event stream of {}: reading its timeline failed ({}); trying again at the next poll", name,
                        e.getClass().getSimpleName());
                readFailing = true;
            }
            snapshot = null;
        }
        try {
            if (!started) {
                emitter.send(SseEmitter.event().reconnectTime(settings.retry().toMillis()).comment(name));
                started = true;
                lastWriteNanos = now;
            }
            if (snapshot != null) {
                for (EventTimeline.Entry entry : snapshot.entries()) {
                    position++;
                    emitter.send(SseEmitter.event().id(Integer.toString(position)).name(entry.type())
                            .data(json.writeValueAsString(entry.body()), MediaType.TEXT_PLAIN));
                    lastWriteNanos = now;
                }
                if (snapshot.ended()) {
                    close();
                    return;
                }
            }
            if (now - lastWriteNanos >= settings.heartbeat().toNanos()) {
                emitter.send(SseEmitter.event().comment("heartbeat"));
                lastWriteNanos = now;
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("event stream of {}: the client went away", name, e);
            abandon();
        }
    }
}
