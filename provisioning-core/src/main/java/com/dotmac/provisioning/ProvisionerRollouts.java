package com.dotmac.provisioning;

import com.dotmac.provisioning.internal.engine.EngineContext;
import com.dotmac.provisioning.internal.engine.JobCommands;
import com.dotmac.provisioning.internal.rollout.MemberJobs;
import com.dotmac.provisioning.internal.rollout.RolloutCommands;
import com.dotmac.provisioning.internal.rollout.RolloutContext;
import com.dotmac.provisioning.internal.rollout.RolloutSweeper;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.Scheduler;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The provisioner's rollouts: the rollout engine wired to the job engine (a member's job is an ordinary request), and
 * its periodic sweep. Thread-safe: the sweep handle is guarded by {@code this}.
 */
final class ProvisionerRollouts implements MemberJobs {
    /**
     * The share of the cap on runs in flight that rollouts leave to single requests, in percent (at least one run):
     * a new customer's provisioning must not wait behind a fleet upgrade.
     */
    static final int RESERVED_FOR_SINGLE_REQUESTS_PERCENT = 10;

    private final EngineContext context;
    private final JobCommands commands;
    private final RolloutCommands rollouts;
    private final RolloutSweeper sweeper;
    private final BooleanSupplier repositoryDown;
    private Scheduler.@Nullable Cancellable sweepTask;

    /**
     * @param repositoryDown whether the job engine knows the database to be unreachable: the rollouts, in the same
     *     database, are then left alone until the engine's back-off finds it again
     */
    ProvisionerRollouts(EngineContext context, JobCommands commands, RolloutRepository repository,
            BooleanSupplier repositoryDown) {
        this.context = context;
        this.commands = commands;
        this.repositoryDown = repositoryDown;
        RolloutContext ctx = new RolloutContext(repository, context.repository(), context.directory(), this,
                context.clock(), context.settings().nodeId(), context.settings().leaseDuration(),
                context.settings().sweepInterval());
        this.rollouts = new RolloutCommands(ctx);
        this.sweeper = new RolloutSweeper(ctx);
    }

    Rollouts rollouts() {
        return rollouts;
    }

    int sweep() {
        return repositoryDown.getAsBoolean() ? 0 : sweeper.sweep();
    }

    synchronized void start() {
        if (sweepTask == null) {
            sweepTask = context.scheduler().scheduleWithFixedDelay(this::sweep, Duration.ZERO,
                    context.settings().sweepInterval());
        }
    }

    synchronized void stop() {
        Scheduler.Cancellable task = sweepTask;
        if (task != null) {
            task.cancel();
            sweepTask = null;
        }
    }

    @Override
    public ProvisioningJob submit(ProvisioningRequest request) {
        return commands.submit(request).job();
    }

    @Override
    public void checkAllowed(ProvisioningRequest request) {
        context.guard().check(request);
    }

    @Override
    public void cancel(String jobId, String requestedBy, String reason) {
        try {
            commands.cancel(jobId, requestedBy, reason);
        } catch (JobFinishedException ended) {
            // nothing to cancel
        }
    }

    @Override
    public int roomForRolloutRuns() {
        int engineCap = context.settings().maxConcurrentRuns();
        int runnerCap = context.runner().maxConcurrentRuns();
        int cap = engineCap <= 0 ? runnerCap : runnerCap <= 0 ? engineCap : Math.min(engineCap, runnerCap);
        if (cap <= 0) {
            return Integer.MAX_VALUE;
        }
        int reserved = Math.max(1, cap * RESERVED_FOR_SINGLE_REQUESTS_PERCENT / 100);
        return (int) Math.max(0, cap - reserved - context.repository().countRunsInFlight());
    }
}
