package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works on one claimed job, step by step, until it needs nothing more now, and decides which step comes next:
 *
 * <ol>
 *   <li>a tenant status not yet applied: {@link TenantStatusStep}; when a launch attempt comes next, the status is
 *       applied in the directory and recorded by the launch's first write ({@link AppliedStatus});</li>
 *   <li>queued: {@link StopStep#cancelQueued} when a stop was asked for, else {@link LaunchStep};</li>
 *   <li>in progress: {@link StopStep} (a passed deadline, an unconfirmed stop, a cancel to send), then one poll of
 *       the run ({@link RunPoller#pollOne}, whose end {@link RunEndStep} applies);</li>
 *   <li>terminal: when a launch attempt may have started a run the job never saw,
 *       {@link StrayRunWatch#lookAfterEnd}; else the lease is given back.</li>
 * </ol>
 *
 * A write that loses its version check makes the driver read the job again (while this node still holds its lease)
 * and decide anew; an unexpected failure releases the job to be retried after {@code retryInitialDelay}; an
 * unavailable repository leaves the job to its lease (nothing can be written) and tells {@link RepositoryOutage}.
 *
 * <p>Thread-safe: no state of its own. Many jobs are driven at once on the scheduler's threads (and on a sweeping
 * thread for the ends found by a batch poll); each job is driven by the one thread that holds its claim. Logs under
 * {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class JobDriver {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);
    private static final int MAX_STEPS = 12;

    private final EngineContext ctx;
    private final JobWriter writer;
    private final JobLeases leases;
    private final TenantStatusStep tenantStatus;
    private final LaunchStep launches;
    private final StopStep stops;
    private final RunPoller runs;
    private final StrayRunWatch strayRuns;
    private final RepositoryOutage outage;

    JobDriver(EngineContext ctx, JobWriter writer, JobLeases leases, TenantStatusStep tenantStatus,
            LaunchStep launches, StopStep stops, RunPoller runs, StrayRunWatch strayRuns, RepositoryOutage outage) {
        this.ctx = ctx;
        this.writer = writer;
        this.leases = leases;
        this.tenantStatus = tenantStatus;
        this.launches = launches;
        this.stops = stops;
        this.runs = runs;
        this.strayRuns = strayRuns;
        this.outage = outage;
    }

    /** Works on one claimed job until it needs nothing more now, re-reading it when a write loses the race. */
    void drive(StoredJob claimed) {
        drive(claimed, null);
    }

    /**
     * Works on one claimed job until it needs nothing more now.
     *
     * @param applied the tenant status the job's creator applied and left to the launch to record (its first step
     *     only; dropped when the job changed meanwhile), or null
     */
    void drive(StoredJob claimed, @Nullable AppliedStatus applied) {
        StoredJob s = claimed;
        @Nullable AppliedStatus carried = applied;
        for (int step = 0; step < MAX_STEPS && s != null; step++) {
            try {
                AppliedStatus carry = carried;
                carried = null;
                s = step(s, carry);
            } catch (StaleJobException stale) {
                s = leases.reloadIfOurs(s.id());
            } catch (RepositoryUnavailableException e) {
                // no write can be made: the lease runs out and the job is claimed again once the repository is back
                // (a launch answered meanwhile is found again by its job id, as after a crash)
                log.debug("job {}: the repository is unavailable; the job is taken up again after its lease",
                        s.id());
                outage.noticed(e);
                return;
            } catch (RuntimeException e) {
                log.error("job {}: unexpected failure while processing; retrying in {}", s.id(),
                        ctx.settings().retryInitialDelay(), e);
                releaseAfterFailure(s);
                return;
            }
        }
        if (s != null) {
            leases.release(s, ctx.clock().instant());
        }
    }

    /**
     * Releases a job whose step failed, for a retry after the initial retry delay. When the release fails too (the
     * database is slow or holds the row locked: the cause of the step's failure, often) the job keeps its lease,
     * which expires and lets a sweep take the job up again; the failure must not escape to the scheduler.
     */
    private void releaseAfterFailure(StoredJob s) {
        try {
            writer.release(s, ctx.clock().instant().plus(ctx.settings().retryInitialDelay()), leases.nodeId());
        } catch (RuntimeException e) {
            log.warn("job {}: could not release it after the failure ({}); it is taken up again when its lease "
                    + "expires", s.id(), e.toString());
        }
    }

    /**
     * One decision about a job; returns the job to continue with, or null when it was released. A tenant status to
     * apply before a launch is recorded by the launch's first write, not by a write of its own.
     */
    private @Nullable StoredJob step(StoredJob s, @Nullable AppliedStatus carried) {
        Instant now = ctx.clock().instant();
        if (!s.tenantStatusApplied()) {
            AppliedStatus applied = carried != null && carried.isFor(s) ? carried : null;
            if (launches.launchesNext(s)) {
                if (applied == null) {
                    applied = tenantStatus.applyBeforeLaunch(s, now);
                }
                return applied == null ? null : launches.step(s, now, applied);
            }
            return applied == null ? tenantStatus.apply(s, now) : tenantStatus.record(s, applied, now);
        }
        return switch (s.job().status()) {
            case QUEUED -> s.stop() != null ? stops.cancelQueued(s, now) : launches.step(s, now, null);
            case IN_PROGRESS -> stepInProgress(s, now);
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> {
                if (s.launchPendingSince() != null) {
                    yield strayRuns.lookAfterEnd(s, now);
                }
                leases.release(s, null);
                yield null;
            }
        };
    }

    private @Nullable StoredJob stepInProgress(StoredJob claimed, Instant now) {
        String runId = claimed.job().runId();
        if (runId == null) {
            throw new IllegalStateException("job " + claimed.id() + " is in progress without a run id");
        }
        StoredJob s = stops.stopIfDeadlinePassed(claimed, runId, now);
        StopRequest stop = s.stop();
        if (stop != null && stops.graceOver(stop, now)) {
            return stops.endUnconfirmed(s, stop, now);
        }
        if (stop != null && s.stopSentAt() == null) {
            s = stops.sendCancel(s, runId, stop, now);
            if (s == null) {
                return null;
            }
        }
        return runs.pollOne(s, runId, now);
    }
}
