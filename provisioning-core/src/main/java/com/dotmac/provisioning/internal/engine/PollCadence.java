package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;

/**
 * How far apart the routine polls of a run in flight are. Without callbacks: the poll interval. With callbacks on
 * (every run this engine launches is given the callback URL and token), a run reports its own end, so it is polled
 * only every {@code callbackSafetyPollEvery} poll intervals, the safety poll for a callback that never comes (a
 * playbook that failed before its last task, a callback lost on the way); the callback itself makes the job due at
 * once ({@link CallbackIntake}) and the polls soon after it are {@link RunPoller}'s. A run being stopped is polled
 * every interval: it will not call back.
 *
 * <p>The safety polls fall on a grid of the poll interval (multiples of it since the epoch): the next one is the
 * last grid point within {@code callbackSafetyPollEvery} intervals, never later, so that all the safety polls due
 * in one interval are polled in one sweep, in one runner call, rather than one sweep each. The grid is fixed in
 * absolute time: runs launched within one interval of each other share one grid point, or two when a grid point
 * falls between their polls (which depends on the moment, not only on how far apart they are), and keep them.
 *
 * <p>Thread-safe: no state of its own.
 */
final class PollCadence {
    private final EngineContext ctx;

    PollCadence(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param s the job whose run is still in flight
     * @param now the time of this poll
     * @return the job's next routine poll (before any deadline, grace or pending limit)
     */
    Instant next(StoredJob s, Instant now) {
        Duration interval = ctx.settings().pollInterval();
        int every = ctx.settings().callbackSafetyPollEvery();
        if (ctx.callback() == null || s.stop() != null || every == 1) {
            return now.plus(interval);
        }
        Instant latest = now.plus(interval.multipliedBy(every));
        long step = interval.toMillis();
        if (step <= 0) {
            return latest;
        }
        Instant onGrid = Instant.ofEpochMilli(Math.floorDiv(latest.toEpochMilli(), step) * step);
        return onGrid.isAfter(now.plus(interval)) ? onGrid : latest;
    }
}
