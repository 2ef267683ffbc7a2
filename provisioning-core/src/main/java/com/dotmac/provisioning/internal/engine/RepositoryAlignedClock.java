package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.JobRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's clock: the host's clock moved by the offset to the repository's time
 * ({@link JobRepository#currentTime()}), so that every engine sharing a repository decides lease expiry and due
 * times on one clock however far the nodes' clocks drift apart. {@link #align()} measures the offset: the
 * repository's time minus the midpoint of the host clock's readings before and after the statement. The engine
 * aligns when it starts and on every lease heartbeat; a failed measurement keeps the last offset, and a repository
 * without a clock of its own (an empty {@code currentTime()}, e.g. the in-memory one) means an offset of zero, so
 * tests on a hand-moved clock stay deterministic.
 *
 * <p>Logs one WARN when the offset first exceeds {@link #WARN_ABOVE} and one INFO when it is back under, never one
 * per measurement.
 *
 * <p>Thread-safe: {@link #instant()} reads a volatile offset; {@link #align()} is synchronized (one measurement at a
 * time), and only it writes the offset and the warned flag. Logs under {@link ProvisioningEngine}'s logger, like every
 * part of the engine.
 */
final class RepositoryAlignedClock extends Clock {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);
    /** An offset larger than this is logged. */
    static final Duration WARN_ABOVE = Duration.ofSeconds(1);

    private final Clock host;
    private final JobRepository repository;
    private final String nodeId;
    private volatile Duration offset = Duration.ZERO;
    private boolean warned;

    /**
     * @param host the host's clock (the one the provisioner was built with)
     * @param repository where the shared time comes from
     * @param nodeId this node, for the log
     */
    RepositoryAlignedClock(Clock host, JobRepository repository, String nodeId) {
        this.host = host;
        this.repository = repository;
        this.nodeId = nodeId;
    }

    /** @return the host's time moved by the last measured offset: the repository's time now */
    @Override
    public Instant instant() {
        return host.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return host.getZone();
    }

    /** @return a clock on the same aligned time in another zone (it follows later measurements too) */
    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(getZone())) {
            return this;
        }
        RepositoryAlignedClock aligned = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return aligned.withZone(other);
            }

            @Override
            public Instant instant() {
                return aligned.instant();
            }
        };
    }

    /** @return the last measured offset: the repository's time minus the host's */
    Duration offset() {
        return offset;
    }

    /**
     * Measures the offset to the repository's time (one short statement) and uses it from now on. Never throws: when
     * the repository's time cannot be read, the last offset stays.
     */
    synchronized void align() {
        Instant before = host.instant();
        Optional<Instant> shared;
        try {
            shared = repository.currentTime();
        } catch (RuntimeException e) {
            // the outage is reported by the writes that fail; here it only means the last offset stays
            log.debug("node {}: could not read the repository's time; the clock offset stays {}", nodeId, offset, e);
            return;
        }
        Instant after = host.instant();
        if (shared.isEmpty()) {
            offset = Duration.ZERO;
            return;
        }
        Instant midpoint = before.plus(Duration.between(before, after).dividedBy(2));
        Duration measured = Duration.between(midpoint, shared.get());
        offset = measured;
        boolean large = measured.abs().compareTo(WARN_ABOVE) > 0;
        if (large && !warned) {
            warned = true;
            log.warn("node {}: this node's clock is {} s {} the database's; the engine uses the database's time",
                    nodeId, seconds(measured), measured.isNegative() ? "ahead of" : "behind");
        } else if (!large && warned) {
            warned = false;
            log.info("node {}: this node's clock is within {} s of the database's again ({} s)", nodeId,
                    WARN_ABOVE.toSeconds(), seconds(measured));
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", Math.abs(d.toMillis()) / 1000.0);
    }

    @Override
    public String toString() {
        return "RepositoryAlignedClock[" + host + ", offset " + offset + "]";
    }
}
