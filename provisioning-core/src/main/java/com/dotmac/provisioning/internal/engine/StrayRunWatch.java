package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and cancels "stray" runs: runs that carry a job's {@code provisioning_job_id} but are not the run the job
 * follows. A launch whose answer was lost may still become a run late (AWX has no idempotency key), so a job
 * launched after uncertain attempts is watched for {@link #STRAY_WATCH} after its launch, and the sweep looks for
 * all watched jobs' runs in one runner call at most every {@link #STRAY_LOOK_EVERY}. Also cancels the runs a launch
 * found beside the one it attached to, and a run launched for a job that moved on meanwhile.
 *
 * <p>A watched job's runs are looked for from its first launch attempt (the first {@code launch_pending} event of
 * its timeline), as {@code findRuns} does before a launch: no earlier attempt's run can be older. Not from the job's
 * creation: a job that waited hours behind the runs-in-flight cap would make every look list all the jobs its
 * template ran meanwhile, on the sweeping thread. The watch is bounded in time whatever its looks answer: it ends
 * {@link #STRAY_WATCH} after the launch even when every look failed, and the first failed (or cut-off) look of a
 * job is logged as a warning, once per job, naming the job and the run it follows, so that an operator can look
 * for a late run by hand.
 *
 * <p>Thread-safe: shared by every sweep and every job's step on this node. What it remembers is in concurrent
 * collections (the watched jobs, the runs it cancelled once) and the time of the next look, which one sweep at a
 * time wins by compare-and-set. Nothing is shared with other nodes: each watches the jobs it launched or polls.
 * Logs under {@link ProvisioningEngine}'s logger, like every part of the engine.
 */
final class StrayRunWatch {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningEngine.class);
    /**
     * How long after a launch that followed uncertain attempts the engine looks for runs of the job that the service
     * started late: longer than an automation service holds a request it has not answered (proxy and application
     * server timeouts are one or two minutes).
     */
    static final Duration STRAY_WATCH = Duration.ofMinutes(3);
    /** How often a node looks for late runs of all the jobs it watches (one runner call for all of them). */
    static final Duration STRAY_LOOK_EVERY = Duration.ofSeconds(30);

    private final EngineContext ctx;
    private final LaunchSpecs specs;
    private final JobWriter writer;
    private final JobLeases leases;
    private final Set<String> cancelledStrays = ConcurrentHashMap.newKeySet();
    /** Jobs launched after uncertain attempts that this node watches for late runs; entries leave when it ends. */
    private final Map<String, StrayWatch> strayWatches = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextStrayLook = new AtomicReference<>(Instant.MIN);

    StrayRunWatch(EngineContext ctx, LaunchSpecs specs, JobWriter writer, JobLeases leases) {
        this.ctx = ctx;
        this.specs = specs;
        this.writer = writer;
        this.leases = leases;
    }

    /**
     * @return whether the job ended while a launch attempt may have started a run it never saw, and the watch for
     *     that run is still on (no look has told yet, and {@link #watchUntil} has not passed)
     */
    static boolean runMayBeLive(EngineContext ctx, StoredJob s) {
        return s.job().status().isTerminal() && s.launchPendingSince() != null
                && ctx.clock().instant().isBefore(watchUntil(ctx, s.job()));
    }

    /**
     * @return until when an ended job whose launch outcome is unknown is watched for its run: the job timeout after
     *     it ended (a run it had followed would have been stopped by then)
     */
    static Instant watchUntil(EngineContext ctx, ProvisioningJob job) {
        Instant ended = job.finishedAt() != null ? job.finishedAt() : job.updatedAt();
        return ended.plus(ctx.settings().jobTimeout());
    }

    /** What an operator is told about a job that ends without knowing whether its launch started a run. */
    static String checkThePlatform(EngineContext ctx, ProvisioningJob job, Instant endsAt) {
        return "a run of this job may exist: check the automation platform for a run with provisioning_job_id="
                + job.id() + "; the engine keeps looking for it until " + endsAt.plus(ctx.settings().jobTimeout())
                + ", cancels it when found, and refuses a retry until it has looked";
    }

    /**
     * One look for the run of an ended job whose launch outcome is unknown ({@code launchPendingSince} is still set):
     * runs found are cancelled (the job has ended; a retry starts afresh); when the runner answers, or the watch is
     * over, the mark is cleared and the job needs nothing more; otherwise it is looked at again after
     * {@link #STRAY_LOOK_EVERY}.
     *
     * @return always null: the job is released
     */
    @Nullable StoredJob lookAfterEnd(StoredJob s, Instant now) {
        Instant until = watchUntil(ctx, s.job());
        List<LaunchedRun> runs;
        try {
            runs = ctx.runner().findRuns(specs.toFind(s, Objects.requireNonNull(s.launchPendingSince(),
                    "only jobs with a pending launch are watched")));
        } catch (RuntimeException e) {
            if (now.isBefore(until)) {
                log.warn("job {}: could not look for a run its launch may have started ({}); looking again in {}",
                        s.id(), e.getMessage(), STRAY_LOOK_EVERY);
                leases.release(s, now.plus(STRAY_LOOK_EVERY));
                return null;
            }
            log.warn("job {}: stopped looking for a run its launch may have started (the watch ended at {}, last: {}); "
                    + "check the automation platform for a run with provisioning_job_id={}", s.id(), until,
                    e.getMessage(), s.id());
            runs = List.of();
        }
        JobChange change = JobChange.of(s, now)
                .stored(x -> x.withLaunchPendingSince(null).withLease(null, null).withNextCheckAt(null));
        cancelStrays(s.id(), null, runs);
        for (LaunchedRun run : runs) {
            change.event(JobEventType.RUN_CANCEL_SENT, "found run " + run.runId() + ", started by a launch attempt "
                    + "of this job, after the job ended; asked the runner to cancel it", Map.of("run_id", run.runId()));
        }
        if (runs.isEmpty()) {
            log.info("job {}: no run of its launch attempts is known any more; it can be retried", s.id());
        }
        writer.commit(change);
        return null;
    }

    /** Cancels runs of a job other than the one it follows (each once per engine), logging each. */
    void cancelStrays(String jobId, @Nullable String followed, List<LaunchedRun> runs) {
        for (LaunchedRun other : runs) {
            if (!other.runId().equals(followed) && cancelledStrays.add(other.runId())) {
                log.warn("job {}: run {} also carries this job's id (an earlier launch attempt was started late); "
                        + "following run {} and cancelling run {}", jobId, other.runId(), followed, other.runId());
                cancelQuietly(other.runId());
            }
        }
    }

    /**
     * Watches a job launched after uncertain attempts (an earlier launch's answer may have been lost, and the service
     * may still start that run late) until {@link #STRAY_WATCH} after its launch, also after the job ended. Its runs
     * are looked for from its first launch attempt. Never throws: when the job's timeline cannot be read, the next
     * poll of the job tries again.
     */
    void watch(StoredJob s, Instant now) {
        ProvisioningJob job = s.job();
        String runId = job.runId();
        Instant startedAt = job.startedAt();
        if (job.retryCount() <= 1 || runId == null || startedAt == null) {
            return;
        }
        Instant until = startedAt.plus(STRAY_WATCH);
        if (now.isBefore(until) && !strayWatches.containsKey(job.id())) {
            Instant since;
            try {
                since = firstLaunchAttempt(s, startedAt);
            } catch (RuntimeException e) {
                log.debug("job {}: could not read when its first launch attempt began ({}); the watch for late runs "
                        + "starts at its next poll", job.id(), e.toString());
                return;
            }
            strayWatches.putIfAbsent(job.id(), new StrayWatch(specs.toFind(s, since), runId, until));
        }
    }

    /**
     * When the job's first launch attempt began: its launch-pending time while it is set, else its first
     * {@code launch_pending} event; a job without one (written by an older version) is looked for from its creation.
     */
    private Instant firstLaunchAttempt(StoredJob s, Instant startedAt) {
        Instant pendingSince = s.launchPendingSince();
        if (pendingSince != null) {
            return pendingSince;
        }
        for (JobEvent event : ctx.repository().events(s.id())) {
            if (event.type() == JobEventType.LAUNCH_PENDING && !event.at().isAfter(startedAt)) {
                return event.at();
            }
        }
        return s.job().createdAt();
    }

    /**
     * At most every {@link #STRAY_LOOK_EVERY}, looks for the runs of every watched job in one runner call and cancels
     * those the jobs do not follow. One call for all jobs (AWX: one listing per job template) and a bounded watch:
     * looking per job at every poll for a job's whole life made the cost grow with the fleet's launch rate, the
     * number of retried launches and the jobs' age. Watches whose time is over end after the look, whatever it
     * answered; a failed look is logged as a warning once per job.
     */
    void lookForStrays(Instant now) {
        Instant due = nextStrayLook.get();
        if (strayWatches.isEmpty() || now.isBefore(due)
                || !nextStrayLook.compareAndSet(due, now.plus(STRAY_LOOK_EVERY))) {
            return;
        }
        List<StrayWatch> watches = List.copyOf(strayWatches.values());
        try {
            Map<String, List<LaunchedRun>> runs = ctx.runner().findRunsOfJobs(
                    watches.stream().map(StrayWatch::spec).toList());
            for (StrayWatch watch : watches) {
                watch.lastLookFailed().set(false);
                cancelStrays(watch.spec().correlationId(), watch.followedRunId(),
                        runs.getOrDefault(watch.spec().correlationId(), List.of()));
            }
        } catch (RuntimeException e) {
            lookFailed(watches, e);
        }
        for (StrayWatch watch : watches) {
            if (now.isAfter(watch.until()) && strayWatches.remove(watch.spec().correlationId(), watch)
                    && watch.lastLookFailed().get()) {
                log.info("job {}: stopped watching for late runs; the last look failed (see the warning before)",
                        watch.spec().correlationId());
            }
        }
    }

    /** Warns once per job that its late runs could not be looked for; later failures are logged at debug. */
    private void lookFailed(List<StrayWatch> watches, RuntimeException e) {
        String why = e instanceof AutomationException ae ? ae.errorCode() + ": " + e.getMessage() : e.toString();
        for (StrayWatch watch : watches) {
            watch.lastLookFailed().set(true);
            if (watch.warned().compareAndSet(false, true)) {
                log.warn("job {}: could not look for runs that an earlier launch attempt may have started late ({}); "
                        + "looking again every {} until {}. If no look succeeds, check the automation service by "
                        + "hand for runs carrying provisioning_job_id={} other than run {}, and cancel them",
                        watch.spec().correlationId(), why, STRAY_LOOK_EVERY, watch.until(),
                        watch.spec().correlationId(), watch.followedRunId());
            }
        }
        log.debug("could not look for late runs of {} job(s): {}", watches.size(), why);
    }

    /** Cancels a run that no job follows; a failure is logged for an operator, never thrown. */
    void cancelQuietly(String runId) {
        try {
            ctx.runner().cancel(runId);
        } catch (RuntimeException e) {
            log.error("could not cancel orphan run {}; cancel it by hand: {}", runId, e.getMessage());
        }
    }

    /**
     * A job watched for late runs: as it would be launched, the run it follows, until when, whether a failed look
     * was reported for it, and whether the last look failed. Compared by identity (the flags are mutable).
     */
    private record StrayWatch(LaunchSpec spec, String followedRunId, Instant until, AtomicBoolean warned,
            AtomicBoolean lastLookFailed) {
        StrayWatch(LaunchSpec spec, String followedRunId, Instant until) {
            this(spec, followedRunId, until, new AtomicBoolean(), new AtomicBoolean());
        }
    }
}
