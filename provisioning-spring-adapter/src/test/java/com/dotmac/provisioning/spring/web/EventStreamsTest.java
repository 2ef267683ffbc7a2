package com.dotmac.provisioning.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link EventStreams} without a server: the shared task reads open streams on its own daemon threads, a stream ends
 * itself after the maximum duration, the limit refuses one more, and {@link EventStreams#close()} ends every stream
 * and leaves no thread behind.
 */
class EventStreamsTest {
    private static final EventTimeline NEVER_ENDS = after -> new EventTimeline.Snapshot(List.of(), 0, false);

    @Test
    void theSharedTaskReadsOnDaemonThreadsAndAStreamEndsAfterItsMaximumDuration() {
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new CopyOnWriteArrayList<>();
        EventTimeline counted = after -> {
            reads.incrementAndGet();
            readers.add(Thread.currentThread());
            return NEVER_ENDS.read(after);
        };
        try (EventStreams streams = new EventStreams(settings(10, Duration.ofMillis(300)), ApiJsonMapper.from(null))) {
            streams.open("job a", counted, 0);
            assertThat(streams.openStreams()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 3);
            assertThat(readers).allSatisfy(t -> {
                assertThat(t.getName()).startsWith("provisioning-sse-");
                assertThat(t.isDaemon()).isTrue();
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.openStreams() == 0);
        }
    }

    @Test
    void overTheLimitIsRefusedAndClosingEndsEveryStreamAndItsThreads() {
        List<Thread> readers = new CopyOnWriteArrayList<>();
        EventTimeline recorded = after -> {
            readers.add(Thread.currentThread());
            return NEVER_ENDS.read(after);
        };
        EventStreams streams = new EventStreams(settings(2, Duration.ofMinutes(30)), ApiJsonMapper.from(null));
        streams.open("job a", recorded, 0);
        streams.open("job b", recorded, 0);
        assertThatThrownBy(() -> streams.open("job c", NEVER_ENDS, 0))
                .isInstanceOf(TooManyEventStreamsException.class).hasMessageContaining("at most 2");
        await().atMost(Duration.ofSeconds(5)).until(() -> readers.size() >= 4);

        streams.close();

        assertThat(streams.openStreams()).isZero();
        assertThatThrownBy(() -> streams.open("job d", NEVER_ENDS, 0))
                .isInstanceOf(TooManyEventStreamsException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> readers.stream().noneMatch(Thread::isAlive));
    }

    private static EventStreamSettings settings(int maxConnections, Duration maxDuration) {
        return new EventStreamSettings(Duration.ofMillis(20), Duration.ofSeconds(15), Duration.ofSeconds(3),
                maxConnections, maxDuration);
    }
}
