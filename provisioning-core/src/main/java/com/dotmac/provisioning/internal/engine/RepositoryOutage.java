package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.ProvisioningUnavailableException;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of whether the job repository can be reached, and the sweep's back-off while it cannot. The first
 * {@link RepositoryUnavailableException} of an outage logs ONE warning (the cause's message, no stack trace); the
 * sweep then tries again after the sweep interval, doubling up to {@link #DEFAULT_MAX_BACKOFF}, and touches the
 * repository at no other time; the first call that reaches the repository again ends the outage with ONE line naming
 * its duration. Requests during an outage fail at once ({@link #checkRequest}) without touching the repository until
 * the sweep's next attempt is due. Runs in flight are not touched: they go on in the automation platform, and their
 * jobs are claimed again once their leases run out after the return.
 *
 * <p>Thread-safe: all state is guarded by this object's lock (a few fields, changed at an outage's start and end and
 * at each of the sweep's attempts). Time is the engine's clock. Logs under {@link ProvisioningEngine}'s logger.
 */
final class RepositoryOutage {
    /**
     * The longest wait between two sweep attempts while the repository is unavailable: 5 seconds (or the sweep
     * interval, when that is longer). It is also how long a node may stay away after the database is back (and
     * refuse requests meanwhile): with 30 s, a node of {@code PostgresRestartTest} missed the 17 s between two
     * restarts entirely. One failing connection attempt per node every 5 s is no load.
     */
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final Duration maxBackoff;
    private @Nullable Instant since;
    private Duration backoff = Duration.ZERO;
    private Instant nextAttempt = Instant.MIN;

    RepositoryOutage(EngineContext ctx) {
        this.ctx = ctx;
        Duration sweep = ctx.settings().sweepInterval();
        this.maxBackoff = sweep.compareTo(DEFAULT_MAX_BACKOFF) > 0 ? sweep : DEFAULT_MAX_BACKOFF;
    }

    /** @return whether the sweep should leave the repository alone now (an outage, and its next attempt not due) */
    synchronized boolean backingOff() {
        return since != null && ctx.clock().instant().isBefore(nextAttempt);
    }

    /**
     * A sweep's attempt failed because the repository is unavailable: starts the outage (one warning) or doubles the
     * wait before the next attempt, up to the cap.
     */
    synchronized void sweepFailed(RepositoryUnavailableException e) {
        Instant now = ctx.clock().instant();
        if (since == null) {
            start(e, now);
        } else {
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
        }
        nextAttempt = now.plus(backoff);
    }

    /** Any other call found the repository unavailable: starts the outage if it has not started; never logs more. */
    synchronized void noticed(RepositoryUnavailableException e) {
        if (since == null) {
            Instant now = ctx.clock().instant();
            start(e, now);
            nextAttempt = now.plus(backoff);
        }
    }

    /**
     * A call reached the repository: ends the outage, if there was one, with one line naming its duration. A call
     * that began before the outage was noticed proves nothing (its statement may have run just before the database
     * went away, while the outage's first failure came from a later one), so it ends nothing.
     *
     * @param callStartedAt when the call that got through began
     */
    void reached(Instant callStartedAt) {
        Instant started;
        Instant now;
        synchronized (this) {
            started = since;
            if (started == null || callStartedAt.isBefore(started)) {
                return;
            }
            now = ctx.clock().instant();
            since = null;
            backoff = Duration.ZERO;
            nextAttempt = Instant.MIN;
        }
        log.info("node {}: the job repository (database) is reachable again after {}; the engine resumes and "
                + "follows every job to its end", ctx.settings().nodeId(), seconds(Duration.between(started, now)));
    }

    /** @return when the current outage started, or null when the repository is reachable as far as this node knows */
    synchronized @Nullable Instant since() {
        return since;
    }

    /**
     * Fails a request at once while the sweep backs off (the repository is not touched).
     *
     * @throws ProvisioningUnavailableException during an outage, before the sweep's next attempt is due
     */
    void checkRequest() {
        Instant now = ctx.clock().instant();
        Duration wait;
        Instant started;
        synchronized (this) {
            started = since;
            if (started == null || !now.isBefore(nextAttempt)) {
                return;
            }
            wait = Duration.between(now, nextAttempt);
        }
        throw unavailable("the provisioning database is unreachable (since " + started + "); nothing was stored, "
                + "try again later", wait, null);
    }

    /**
     * A request found the repository unavailable.
     *
     * @param e the repository's failure
     * @return the public exception to throw
     */
    ProvisioningUnavailableException requestFailed(RepositoryUnavailableException e) {
        noticed(e);
        Duration wait;
        synchronized (this) {
            wait = backoff.isZero() ? ctx.settings().sweepInterval() : backoff;
        }
        return unavailable("the provisioning database is unreachable (" + e.getMessage() + "); nothing was stored, "
                + "try again later", wait, e);
    }

    private static ProvisioningUnavailableException unavailable(String message, Duration wait,
            @Nullable Throwable cause) {
        return new ProvisioningUnavailableException(message, wait, cause);
    }

    private void start(RepositoryUnavailableException e, Instant now) {
        since = now;
        backoff = ctx.settings().sweepInterval();
        log.warn("node {}: the job repository is unavailable ({}); the engine backs off (sweeps from every {} up to "
                + "every {}) and leaves runs in flight alone until it is back", ctx.settings().nodeId(),
                e.getMessage(), seconds(ctx.settings().sweepInterval()), seconds(maxBackoff));
    }

    /** @return e.g. {@code 21.3 s} */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
