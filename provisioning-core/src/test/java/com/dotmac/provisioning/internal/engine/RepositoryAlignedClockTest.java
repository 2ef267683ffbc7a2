package com.dotmac.provisioning.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.spi.JobRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The engine's clock follows the repository's time: the offset is measured against the midpoint of the statement,
 * kept when a measurement fails, zero for a repository without a time of its own, and logged once when it grows past
 * a second and once when it is back under.
 */
class RepositoryAlignedClockTest {
    private static final Instant T = Instant.parse("2026-01-15T10:00:00Z");

    private final HostClock host = new HostClock();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger engineLog = (Logger) LoggerFactory.getLogger(ProvisioningEngine.class);
    private volatile Supplier<Optional<Instant>> database = () -> Optional.of(host.instant());
    private Level levelBefore;

    @BeforeEach
    void captureLogs() {
        levelBefore = engineLog.getLevel();
        engineLog.setLevel(Level.INFO);
        logs.start();
        engineLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        engineLog.detachAppender(logs);
        engineLog.setLevel(levelBefore);
    }

    @Test
    void aNodeAheadOfTheDatabaseUsesTheDatabasesTimeAndSaysSoOnce() {
        RepositoryAlignedClock clock = new RepositoryAlignedClock(host, repository(), "node-a");
        database = () -> Optional.of(host.instant().minusSeconds(90));

        clock.align();
        clock.align();

        assertThat(clock.instant()).isEqualTo(T.minusSeconds(90));
        assertThat(clock.offset()).isEqualTo(Duration.ofSeconds(-90));
        assertThat(messages(Level.WARN)).containsExactly("node node-a: this node's clock is 90.0 s ahead of the "
                + "database's; the engine uses the database's time");

        database = () -> Optional.of(host.instant().plusMillis(500));
        clock.align();
        clock.align();

        assertThat(clock.instant()).isEqualTo(T.plusMillis(500));
        assertThat(messages(Level.WARN)).hasSize(1);
        assertThat(messages(Level.INFO)).containsExactly("node node-a: this node's clock is within 1 s of the "
                + "database's again (0.5 s)");
    }

    @Test
    void aNodeBehindTheDatabaseIsToldSo() {
        RepositoryAlignedClock clock = new RepositoryAlignedClock(host, repository(), "node-b");
        database = () -> Optional.of(host.instant().plusSeconds(90));

        clock.align();

        assertThat(clock.instant()).isEqualTo(T.plusSeconds(90));
        assertThat(messages(Level.WARN)).singleElement().asString().contains("90.0 s behind");
    }

    @Test
    void theOffsetIsMeasuredAgainstTheMidpointOfTheStatement() {
        RepositoryAlignedClock clock = new RepositoryAlignedClock(host, repository(), "node-a");
        // the statement takes 2 s of the host's time; the database read its clock in the middle of it
        database = () -> {
            host.advance(Duration.ofSeconds(1));
            Instant read = host.instant().plusSeconds(30);
            host.advance(Duration.ofSeconds(1));
            return Optional.of(read);
        };

        clock.align();

        assertThat(clock.offset()).isEqualTo(Duration.ofSeconds(30));
        assertThat(clock.instant()).isEqualTo(host.instant().plusSeconds(30));
    }

    @Test
    void aFailedMeasurementKeepsTheLastOffsetAndARepositoryWithoutTimeMeansNone() {
        RepositoryAlignedClock clock = new RepositoryAlignedClock(host, repository(), "node-a");
        database = () -> Optional.of(host.instant().plusSeconds(42));
        clock.align();
        database = () -> {
            throw new IllegalStateException("database unreachable");
        };

        clock.align();

        assertThat(clock.offset()).isEqualTo(Duration.ofSeconds(42));
        database = Optional::empty;
        clock.align();
        assertThat(clock.offset()).isZero();
        assertThat(clock.instant()).isEqualTo(host.instant());
    }

    @Test
    void anInMemoryRepositoryHasNoTimeOfItsOwn() {
        RepositoryAlignedClock clock = new RepositoryAlignedClock(host, new InMemoryJobRepository(), "node-a");

        clock.align();

        assertThat(clock.instant()).isEqualTo(T);
        assertThat(clock.withZone(ZoneId.of("Asia/Kathmandu")).instant()).isEqualTo(T);
        assertThat(logs.list).isEmpty();
    }

    private java.util.List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** An in-memory repository whose {@code currentTime()} is {@link #database}: a database with a clock. */
    private JobRepository repository() {
        InMemoryJobRepository memory = new InMemoryJobRepository();
        return (JobRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobRepository.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("currentTime")) {
                        return database.get();
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The host's clock, moved by hand. */
    private static final class HostClock extends Clock {
        private volatile Instant now = T;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
