package com.dotmac.provisioning.spring.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The open event streams of this node and the one shared task that follows them: no thread per connection. Every
 * {@link EventStreamSettings#pollInterval()} the task hands each open stream that is not still busy to a small pool
 * of daemon threads named {@code provisioning-sse-*}, which reads its timeline and sends what is new. A stream ends
 * when its timeline ended and its last entry was sent, when the client goes away (the emitter's completion, error or
 * timeout), after {@link EventStreamSettings#maxDuration()}, or on {@link #close()} (application shutdown). At most
 * {@link EventStreamSettings#maxConnections()} streams are open at once. Thread-safe.
 */
public final class EventStreams implements AutoCloseable {
    private static final int THREADS = 2;

    private final EventStreamSettings settings;
    private final JsonMapper json;
    private final ScheduledThreadPoolExecutor pool;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private boolean closed;

    /**
     * Starts the shared task.
     *
     * @param settings intervals and limits
     * @param json the API's mapper; the stream writes each entry on one line with it (indentation is turned off)
     */
    public EventStreams(EventStreamSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json.rebuild().disable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build();
        this.pool = new ScheduledThreadPoolExecutor(THREADS, daemonThreads());
        pool.setRemoveOnCancelPolicy(true);
        long every = settings.pollInterval().toNanos();
        pool.scheduleWithFixedDelay(this::pollAll, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * Opens a stream; its first read runs at once on the pool (the timeline so far), then at every poll.
     *
     * @param name what it follows, for logs and the opening comment (e.g. {@code job <id>}); never a secret
     * @param timeline what it follows
     * @param after the entries the client has already
     * @return the response to return from the handler
     * @throws TooManyEventStreamsException when {@link EventStreamSettings#maxConnections()} streams are open (503)
     */
    public SseEmitter open(String name, EventTimeline timeline, int after) {
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis());
        EventStream stream = new EventStream(name, emitter, timeline, after, json, settings);
        synchronized (lock) {
            if (closed || open.size() >= settings.maxConnections()) {
                throw new TooManyEventStreamsException(settings.maxConnections());
            }
            open.add(stream);
        }
        emitter.onCompletion(() -> forget(stream));
        emitter.onError(e -> forget(stream));
        emitter.onTimeout(() -> {
            stream.close();
            open.remove(stream);
        });
        poll(stream);
        return emitter;
    }

    /**
     * Opens a stream that resumes where the client says ({@link LastEventId}), after checking that the position is
     * within the timeline; what {@link EventStreamController} and the operator console's streams call.
     *
     * @param name what it follows, for logs and the opening comment (e.g. {@code job <id>}); never a secret
     * @param timeline what it follows
     * @param resume the entries the client has already, from its {@code Last-Event-ID} or {@code last_event_id}
     * @return the response to return from the handler
     * @throws com.dotmac.provisioning.InvalidRequestException naming the header or parameter when the position is
     *     beyond the timeline's end (400)
     * @throws TooManyEventStreamsException when {@link EventStreamSettings#maxConnections()} streams are open (503)
     */
    public SseEmitter open(String name, EventTimeline timeline, LastEventId resume) {
        resume.checkWithin(timeline.read(Integer.MAX_VALUE).total());
        return open(name, timeline, resume.position());
    }

    /** @return how many streams are open on this node */
    public int openStreams() {
        return open.size();
    }

    /** Ends every open stream and stops the shared task (application shutdown); later opens are refused (503). */
    @Override
    public void close() {
        List<EventStream> streams;
        synchronized (lock) {
            closed = true;
            streams = new ArrayList<>(open);
            open.clear();
        }
        pool.shutdownNow();
        streams.forEach(EventStream::close);
    }

    private void forget(EventStream stream) {
        stream.abandon();
        open.remove(stream);
    }

    private void pollAll() {
        for (EventStream stream : open) {
            if (stream.isClosed()) {
                open.remove(stream);
            } else {
                poll(stream);
            }
        }
    }

    private void poll(EventStream stream) {
        if (!stream.tryClaim()) {
            return;
        }
        try {
            pool.execute(() -> {
                stream.poll();
                if (stream.isClosed()) {
                    open.remove(stream);
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close(); // shutting down
            open.remove(stream);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "provisioning-sse-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
