package com.dotmac.provisioning.internal.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll right after a callback, batched: a callback makes its job due at once ({@link CallbackIntake}) and asks
 * for it here; the jobs asked for until the scheduler gets to them are handled together (their runs polled in one
 * runner call, {@link JobSweeper#processNow}), so that many runs calling back at about the same time cost one poll,
 * not one each. A job not taken here (the scheduler is closed, the repository is unavailable) is due, and the next
 * sweep takes it: detection stays within one sweep of the callback.
 *
 * <p>Thread-safe: the jobs asked for are guarded by this object's lock; at most one drain is waiting on the
 * scheduler at a time.
 */
final class CallbackPolls {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final EngineContext ctx;
    private final Consumer<List<String>> process;
    private final Set<String> asked = new LinkedHashSet<>();
    private boolean drainWaiting;

    /**
     * @param ctx the engine's context (its scheduler)
     * @param process handles the jobs of one drain
     */
    CallbackPolls(EngineContext ctx, Consumer<List<String>> process) {
        this.ctx = ctx;
        this.process = process;
    }

    /** Asks for a poll of the job's run soon, together with the others asked for meanwhile. */
    void pollSoon(String jobId) {
        synchronized (this) {
            asked.add(jobId);
            if (drainWaiting) {
                return;
            }
            drainWaiting = true;
        }
        try {
            ctx.scheduler().execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                drainWaiting = false;
                asked.clear();
            }
            log.debug("job {}: scheduler is closed; the sweep polls it after its callback", jobId);
        }
    }

    private void drain() {
        List<String> jobs;
        synchronized (this) {
            jobs = new ArrayList<>(asked);
            asked.clear();
            drainWaiting = false;
        }
        if (!jobs.isEmpty()) {
            process.accept(jobs);
        }
    }
}
