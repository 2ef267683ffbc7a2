package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;

/**
 * How far apart the routine polls of a run in flight are. Without callbacks: the poll interval. With callbacks on
 * (every run this engine launches is given the callback URL and token), a run reports its own end, so it is polled
 * only every {@code callbackSafetyPollEvery} poll intervals, the safety poll for a callback that never comes (a
 * playbook that failed before its last task, a callback lost on the way); the callback itself makes the job due at
 * once ({@link CallbackIntake}) and the polls soon after it are {@link RunPoller}'s. A run being stopped is polled
 * every interval: it will not call back.
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
     * @return the time from this poll to the job's next routine poll (before any deadline, grace or pending limit)
     */
    Duration next(StoredJob s) {
        Duration interval = ctx.settings().pollInterval();
        int every = ctx.settings().callbackSafetyPollEvery();
        if (ctx.callback() == null || s.stop() != null || every == 1) {
            return interval;
        }
        return interval.multipliedBy(every);
    }
}
