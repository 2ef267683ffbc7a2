package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.RetentionSettings;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: deletes finished jobs older than {@link RetentionSettings#finishedJobsKeptFor()} with their events, in
 * batches of {@link RetentionSettings#batchSize()} until a batch comes back short, through
 * {@link com.dotmac.provisioning.spi.JobRepository#purgeFinished}. {@link ProvisioningEngine#start()} schedules it
 * every {@link RetentionSettings#interval()} when retention is on. Any node may run it at any time: the
 * repository's deletes are idempotent, and it deletes only jobs the engine is done with.
 *
 * <p>Thread-safe: holds only the engine's context and a running check; each run works on its own.
 */
final class RetentionPurge {
    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final EngineContext ctx;
    private final BooleanSupplier running;

    /**
     * @param ctx what the engine works with (its settings' retention, repository and clock)
     * @param running whether the engine is still started; a purge stops between batches when it is not
     */
    RetentionPurge(EngineContext ctx, BooleanSupplier running) {
        this.ctx = ctx;
        this.running = running;
    }

    /**
     * Deletes the finished jobs that are old enough, batch by batch, and logs one INFO line with the count. Never
     * throws: a failure is logged (WARN) and the next run tries again.
     *
     * @return how many jobs were deleted (those of the batches before a failure included)
     */
    int purge() {
        RetentionSettings retention = ctx.settings().retention();
        if (!retention.isOn()) {
            return 0;
        }
        Instant now = ctx.clock().instant();
        Instant finishedBefore = now.minus(retention.finishedJobsKeptFor());
        int total = 0;
        try {
            int batch;
            do {
                batch = ctx.repository().purgeFinished(finishedBefore, now, retention.batchSize());
                total += batch;
            } while (batch >= retention.batchSize() && running.getAsBoolean());
            log.info("retention: deleted {} finished provisioning job(s) that ended before {}", total,
                    finishedBefore);
        } catch (RuntimeException e) {
            log.warn("retention: deleting finished provisioning jobs that ended before {} failed after {} job(s); "
                    + "the next run tries again", finishedBefore, total, e);
        }
        return total;
    }
}
