package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.EngineSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Engine pacing, bound under {@code provisioning.engine} as part of {@link ProvisioningProperties}; the defaults are
 * the {@code DEFAULT_*} constants of {@link com.dotmac.provisioning.EngineSettings} and
 * {@link com.dotmac.provisioning.retry.Backoff}. Not thread-safe: bound once at start-up.
 */
public class EngineProperties {
    /** How often a running run's state is read. */
    private Duration pollInterval = EngineSettings.DEFAULT_POLL_INTERVAL;

    /** How often the engine looks for due work (the safety net behind immediate processing). */
    private Duration sweepInterval = EngineSettings.DEFAULT_SWEEP_INTERVAL;

    /**
     * How long a run may take from its start (the first poll that finds it running; the time it waits pending does
     * not count) before it is cancelled and the job timed out.
     */
    private Duration jobTimeout = EngineSettings.DEFAULT_JOB_TIMEOUT;

    /**
     * How long a launched run may stay pending (AWX new, pending, waiting: no capacity for it) before it is cancelled
     * and the job timed out with RUN_PENDING_TIMEOUT.
     */
    private Duration pendingTimeout = EngineSettings.DEFAULT_PENDING_TIMEOUT;

    /**
     * How long a claim on a job lasts without renewal. The node's heartbeat renews the leases of the jobs it works on
     * every quarter of it; a dead node's jobs are taken over once it has passed (plus up to one sweep interval).
     */
    private Duration leaseDuration = EngineSettings.DEFAULT_LEASE_DURATION;

    /** The most runs in flight across all nodes; 0 for no cap. Jobs over the cap wait queued. */
    private int maxConcurrentRuns = EngineSettings.DEFAULT_MAX_CONCURRENT_RUNS;

    /** Launch attempts before a job fails with LAUNCH_ATTEMPTS_EXHAUSTED. */
    private int maxLaunchAttempts = EngineSettings.DEFAULT_MAX_LAUNCH_ATTEMPTS;

    /** This node's unique name in leases; empty for host name, process id and a random part. */
    private @Nullable String nodeId;

    /** The first back-off after a transient failure; doubled each time, with jitter. */
    private Duration retryInitialDelay = EngineSettings.DEFAULT_RETRY_INITIAL_DELAY;

    /** The longest back-off after transient failures; not shorter than retry-initial-delay. */
    private Duration retryMaxDelay = EngineSettings.DEFAULT_RETRY_MAX_DELAY;

    /** How much the back-off grows per failure; at least 1 (1: always retry-initial-delay). */
    private double retryMultiplier = EngineSettings.DEFAULT_RETRY_MULTIPLIER;

    /** The random fraction of each back-off, 0-1: 0.5 waits between half and all of it. */
    private double retryJitter = EngineSettings.DEFAULT_RETRY_JITTER;

    /**
     * How long past its deadline a run's cancellation may take to be confirmed before the job is timed out
     * anyway.
     */
    private Duration cancelGrace = EngineSettings.DEFAULT_CANCEL_GRACE;

    /**
     * With callbacks on, a run in flight is polled only every this many poll intervals (the safety poll for a
     * callback that never comes) and at once after its callback; 1 polls every interval. No effect without callbacks.
     */
    private int callbackSafetyPollEvery = EngineSettings.DEFAULT_CALLBACK_SAFETY_POLL_EVERY;

    /** The most jobs claimed per sweep round. */
    private int claimBatchSize = EngineSettings.DEFAULT_CLAIM_BATCH_SIZE;

    /**
     * The longest a single runner call (launch, search, poll, cancel) may take before the engine gives up on it (a
     * transient failure: retried, a launch looked for first).
     */
    private Duration runnerCallTimeout = EngineSettings.DEFAULT_RUNNER_CALL_TIMEOUT;

    /**
     * The most runner calls in progress at once on this node (on the engine's threads for a runner whose calls end
     * when interrupted, otherwise on the threads of the runner-call pool); a call beyond it waits for one to end, at
     * most a runner-call-timeout.
     */
    private int runnerCallThreads = EngineSettings.DEFAULT_RUNNER_CALL_THREADS;

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getSweepInterval() {
        return sweepInterval;
    }

    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    public Duration getJobTimeout() {
        return jobTimeout;
    }

    public void setJobTimeout(Duration jobTimeout) {
        this.jobTimeout = jobTimeout;
    }

    public Duration getPendingTimeout() {
        return pendingTimeout;
    }

    public void setPendingTimeout(Duration pendingTimeout) {
        this.pendingTimeout = pendingTimeout;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public int getCallbackSafetyPollEvery() {
        return callbackSafetyPollEvery;
    }

    public void setCallbackSafetyPollEvery(int callbackSafetyPollEvery) {
        this.callbackSafetyPollEvery = callbackSafetyPollEvery;
    }

    public int getMaxConcurrentRuns() {
        return maxConcurrentRuns;
    }

    public void setMaxConcurrentRuns(int maxConcurrentRuns) {
        this.maxConcurrentRuns = maxConcurrentRuns;
    }

    public int getMaxLaunchAttempts() {
        return maxLaunchAttempts;
    }

    public void setMaxLaunchAttempts(int maxLaunchAttempts) {
        this.maxLaunchAttempts = maxLaunchAttempts;
    }

    public @Nullable String getNodeId() {
        return nodeId;
    }

    public void setNodeId(@Nullable String nodeId) {
        this.nodeId = nodeId;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public double getRetryMultiplier() {
        return retryMultiplier;
    }

    public void setRetryMultiplier(double retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    public double getRetryJitter() {
        return retryJitter;
    }

    public void setRetryJitter(double retryJitter) {
        this.retryJitter = retryJitter;
    }

    public Duration getCancelGrace() {
        return cancelGrace;
    }

    public void setCancelGrace(Duration cancelGrace) {
        this.cancelGrace = cancelGrace;
    }

    public int getClaimBatchSize() {
        return claimBatchSize;
    }

    public void setClaimBatchSize(int claimBatchSize) {
        this.claimBatchSize = claimBatchSize;
    }

    public Duration getRunnerCallTimeout() {
        return runnerCallTimeout;
    }

    public void setRunnerCallTimeout(Duration runnerCallTimeout) {
        this.runnerCallTimeout = runnerCallTimeout;
    }

    public int getRunnerCallThreads() {
        return runnerCallThreads;
    }

    public void setRunnerCallThreads(int runnerCallThreads) {
        this.runnerCallThreads = runnerCallThreads;
    }
}
