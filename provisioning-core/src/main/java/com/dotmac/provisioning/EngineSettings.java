package com.dotmac.provisioning;

import com.dotmac.provisioning.retry.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine paces its work. Immutable; {@link #defaults(String)} gives the documented defaults, which the
 * Spring properties share through the {@code DEFAULT_*} constants.
 *
 * @param nodeId this node's name in leases; unique per running engine
 * @param pollInterval how often a running run's state is read
 * @param sweepInterval how often the engine looks for due work (the safety net behind immediate processing)
 * @param jobTimeout how long a run may take from its start (the first poll that finds it running, not its launch:
 *     the time it waits {@code pending} for capacity does not count; while no poll could tell, from its launch);
 *     past it the run is cancelled and the job {@code timed_out}
 * @param leaseDuration how long a claim on a job lasts without renewal: the node's heartbeat renews the leases of
 *     the jobs it works on every quarter of it (so a live node keeps a job however long a runner call takes), and a
 *     dead node's jobs are taken over by another node once it has passed (plus up to one {@code sweepInterval}).
 *     Default 20 seconds: a dead node's work moves within about 22 seconds
 * @param maxConcurrentRuns the most runs in flight across all nodes (0: no cap); jobs over it wait in
 *     {@code queued}
 * @param maxLaunchAttempts launch attempts before a job fails with {@code LAUNCH_ATTEMPTS_EXHAUSTED}
 * @param retryBackoff the back-off after a transient failure (a launch, a poll, the tenant directory): by default
 *     10 seconds, doubled each time up to 5 minutes, with jitter
 * @param cancelGrace how long past its deadline a run's cancellation may take to be confirmed before the job is
 *     timed out anyway
 * @param callbackGrace how long after a job ended its callback is still accepted
 * @param claimBatchSize the most jobs claimed per sweep round
 * @param runnerCallTimeout the longest a single runner call (launch, search, poll, cancel) may take before the engine
 *     gives up on it (a transient failure, {@link ErrorCodes#RUNNER_CALL_TIMED_OUT}); a call is also given up when
 *     the heartbeat cannot renew the job's lease before it runs out, so no call outlives the lease it was made under
 * @param retention how long finished jobs are kept (default {@link RetentionSettings#OFF}: for ever)
 * @param pendingTimeout how long a launched run may stay pending (the runner reports it accepted but not started:
 *     AWX {@code new}, {@code pending}, {@code waiting}, e.g. when it has no capacity for it) before it is
 *     cancelled and the job {@code timed_out} with {@link ErrorCodes#RUN_PENDING_TIMEOUT}
 * @param runnerCallThreads the most runner calls (launch, search, poll, cancel) in progress at once on this node (on
 *     the threads that make them when the runner's calls end when interrupted,
 *     {@link com.dotmac.provisioning.spi.AutomationRunner#callsEndWhenInterrupted()}; otherwise each on a thread of
 *     the engine's runner-call pool); a call beyond it waits for one to end (its
 *     {@code runnerCallTimeout} counts from when it starts), and a call that waited a whole {@code runnerCallTimeout}
 *     without starting is given up ({@link ErrorCodes#RUNNER_CALL_TIMED_OUT}). A call given up no longer counts, so
 *     calls stuck in the runner cannot stop the others
 * @param callbackSafetyPollEvery with callbacks on, a run in flight is polled only every this many poll intervals
 *     (its safety poll, for a callback that never comes) and at once after its callback; 1 polls every interval as
 *     without callbacks. Without callbacks it has no effect. Runs being stopped are polled every interval
 */
public record EngineSettings(
        String nodeId,
        Duration pollInterval,
        Duration sweepInterval,
        Duration jobTimeout,
        Duration leaseDuration,
        int maxConcurrentRuns,
        int maxLaunchAttempts,
        Backoff retryBackoff,
        Duration cancelGrace,
        Duration callbackGrace,
        int claimBatchSize,
        Duration runnerCallTimeout,
        RetentionSettings retention,
        Duration pendingTimeout,
        int runnerCallThreads,
        int callbackSafetyPollEvery) {

    /** Default {@link #pollInterval()}: 15 seconds. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);
    /** Default {@link #sweepInterval()}: 2 seconds. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(2);
    /** Default {@link #jobTimeout()}: 2 hours. */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofHours(2);
    /** Default {@link #leaseDuration()}: 20 seconds (renewed every 5 seconds while a node works on the job). */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(20);
    /** Default {@link #maxConcurrentRuns()}: 0, no cap. */
    public static final int DEFAULT_MAX_CONCURRENT_RUNS = 0;
    /** Default {@link #maxLaunchAttempts()}: 8. */
    public static final int DEFAULT_MAX_LAUNCH_ATTEMPTS = 8;
    /** Default {@link #retryInitialDelay()}: 10 seconds ({@link Backoff#DEFAULT_INITIAL_DELAY}). */
    public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Backoff.DEFAULT_INITIAL_DELAY;
    /** Default {@link #retryMaxDelay()}: 5 minutes ({@link Backoff#DEFAULT_MAX_DELAY}). */
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Backoff.DEFAULT_MAX_DELAY;
    /** Default {@link #retryMultiplier()}: 2 ({@link Backoff#DEFAULT_MULTIPLIER}). */
    public static final double DEFAULT_RETRY_MULTIPLIER = Backoff.DEFAULT_MULTIPLIER;
    /** Default {@link #retryJitter()}: 0.5 ({@link Backoff#DEFAULT_JITTER}). */
    public static final double DEFAULT_RETRY_JITTER = Backoff.DEFAULT_JITTER;
    /** Default {@link #cancelGrace()}: 10 minutes. */
    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofMinutes(10);
    /** Default {@link #callbackGrace()}: 5 minutes. */
    public static final Duration DEFAULT_CALLBACK_GRACE = Duration.ofMinutes(5);
    /** Default {@link #claimBatchSize()}: 200. */
    public static final int DEFAULT_CLAIM_BATCH_SIZE = 200;
    /** Default {@link #runnerCallTimeout()}: 2 minutes. */
    public static final Duration DEFAULT_RUNNER_CALL_TIMEOUT = Duration.ofMinutes(2);
    /** Default {@link #retention()}: {@link RetentionSettings#OFF}, finished jobs are kept for ever. */
    public static final RetentionSettings DEFAULT_RETENTION = RetentionSettings.OFF;
    /** Default {@link #pendingTimeout()}: 30 minutes. */
    public static final Duration DEFAULT_PENDING_TIMEOUT = Duration.ofMinutes(30);
    /**
     * Default {@link #runnerCallThreads()}: 4, more than the default scheduler's 3 threads, so that its threads
     * never wait for one another's runner calls (the fourth place serves a host's own threads, e.g. a cancel made on
     * a request thread, or a thread the scheduler adds while a call given up is still held in the runner).
     */
    public static final int DEFAULT_RUNNER_CALL_THREADS = 4;
    /** The largest {@link #runnerCallThreads()}: 1024. */
    public static final int MAX_RUNNER_CALL_THREADS = 1024;
    /**
     * Default {@link #callbackSafetyPollEvery()}: 5 (with callbacks on, a safety poll every 5th poll interval: 1,000
     * runs of 600 s polled every 15 s cost 1.05 AWX requests per job, launch included; a lost callback is seen up to
     * 5 poll intervals and a sweep after the run ended).
     */
    public static final int DEFAULT_CALLBACK_SAFETY_POLL_EVERY = 5;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the first bad setting
     */
    public EngineSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank() || nodeId.length() > 128) {
            throw new IllegalArgumentException("nodeId must be 1-128 characters");
        }
        positive("pollInterval", pollInterval);
        positive("sweepInterval", sweepInterval);
        positive("jobTimeout", jobTimeout);
        positive("leaseDuration", leaseDuration);
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        positive("cancelGrace", cancelGrace);
        positive("callbackGrace", callbackGrace);
        positive("runnerCallTimeout", runnerCallTimeout);
        positive("pendingTimeout", pendingTimeout);
        if (maxConcurrentRuns < 0) {
            throw new IllegalArgumentException("maxConcurrentRuns must be 0 (no cap) or positive");
        }
        if (maxLaunchAttempts < 1) {
            throw new IllegalArgumentException("maxLaunchAttempts must be at least 1");
        }
        if (claimBatchSize < 1) {
            throw new IllegalArgumentException("claimBatchSize must be at least 1");
        }
        Objects.requireNonNull(retention, "retention");
        if (runnerCallThreads < 1 || runnerCallThreads > MAX_RUNNER_CALL_THREADS) {
            throw new IllegalArgumentException("runnerCallThreads must be 1-" + MAX_RUNNER_CALL_THREADS);
        }
        if (callbackSafetyPollEvery < 1) {
            throw new IllegalArgumentException("callbackSafetyPollEvery must be at least 1");
        }
    }

    /**
     * Settings with the default {@link #runnerCallThreads()} and {@link #callbackSafetyPollEvery()} (the form before
     * they were settings).
     *
     * @param nodeId this node's name in leases
     * @param pollInterval see {@link #pollInterval()}
     * @param sweepInterval see {@link #sweepInterval()}
     * @param jobTimeout see {@link #jobTimeout()}
     * @param leaseDuration see {@link #leaseDuration()}
     * @param maxConcurrentRuns see {@link #maxConcurrentRuns()}
     * @param maxLaunchAttempts see {@link #maxLaunchAttempts()}
     * @param retryBackoff see {@link #retryBackoff()}
     * @param cancelGrace see {@link #cancelGrace()}
     * @param callbackGrace see {@link #callbackGrace()}
     * @param claimBatchSize see {@link #claimBatchSize()}
     * @param runnerCallTimeout see {@link #runnerCallTimeout()}
     * @param retention see {@link #retention()}
     * @param pendingTimeout see {@link #pendingTimeout()}
     * @throws IllegalArgumentException naming the first bad setting
     */
    public EngineSettings(String nodeId, Duration pollInterval, Duration sweepInterval, Duration jobTimeout,
            Duration leaseDuration, int maxConcurrentRuns, int maxLaunchAttempts, Backoff retryBackoff,
            Duration cancelGrace, Duration callbackGrace, int claimBatchSize, Duration runnerCallTimeout,
            RetentionSettings retention, Duration pendingTimeout) {
        this(nodeId, pollInterval, sweepInterval, jobTimeout, leaseDuration, maxConcurrentRuns, maxLaunchAttempts,
                retryBackoff, cancelGrace, callbackGrace, claimBatchSize, runnerCallTimeout, retention, pendingTimeout,
                DEFAULT_RUNNER_CALL_THREADS, DEFAULT_CALLBACK_SAFETY_POLL_EVERY);
    }

    /**
     * Settings with the default {@link #runnerCallTimeout()}, retention off ({@link #DEFAULT_RETENTION}) and the
     * default {@link #pendingTimeout()}: the form before these were settings.
     *
     * @param nodeId this node's name in leases
     * @param pollInterval see {@link #pollInterval()}
     * @param sweepInterval see {@link #sweepInterval()}
     * @param jobTimeout see {@link #jobTimeout()}
     * @param leaseDuration see {@link #leaseDuration()}
     * @param maxConcurrentRuns see {@link #maxConcurrentRuns()}
     * @param maxLaunchAttempts see {@link #maxLaunchAttempts()}
     * @param retryBackoff see {@link #retryBackoff()}
     * @param cancelGrace see {@link #cancelGrace()}
     * @param callbackGrace see {@link #callbackGrace()}
     * @param claimBatchSize see {@link #claimBatchSize()}
     * @throws IllegalArgumentException naming the first bad setting
     */
    public EngineSettings(String nodeId, Duration pollInterval, Duration sweepInterval, Duration jobTimeout,
            Duration leaseDuration, int maxConcurrentRuns, int maxLaunchAttempts, Backoff retryBackoff,
            Duration cancelGrace, Duration callbackGrace, int claimBatchSize) {
        this(nodeId, pollInterval, sweepInterval, jobTimeout, leaseDuration, maxConcurrentRuns, maxLaunchAttempts,
                retryBackoff, cancelGrace, callbackGrace, claimBatchSize, DEFAULT_RUNNER_CALL_TIMEOUT, DEFAULT_RETENTION,
                DEFAULT_PENDING_TIMEOUT);
    }

    /**
     * Settings whose retry back-off has the default multiplier and jitter (the form before {@link Backoff} was a
     * setting of its own).
     *
     * @param nodeId this node's name in leases
     * @param pollInterval see {@link #pollInterval()}
     * @param sweepInterval see {@link #sweepInterval()}
     * @param jobTimeout see {@link #jobTimeout()}
     * @param leaseDuration see {@link #leaseDuration()}
     * @param maxConcurrentRuns see {@link #maxConcurrentRuns()}
     * @param maxLaunchAttempts see {@link #maxLaunchAttempts()}
     * @param retryInitialDelay the first back-off after a transient failure
     * @param retryMaxDelay the longest back-off
     * @param cancelGrace see {@link #cancelGrace()}
     * @param callbackGrace see {@link #callbackGrace()}
     * @param claimBatchSize see {@link #claimBatchSize()}
     * @throws IllegalArgumentException naming the first bad setting
     */
    public EngineSettings(String nodeId, Duration pollInterval, Duration sweepInterval, Duration jobTimeout,
            Duration leaseDuration, int maxConcurrentRuns, int maxLaunchAttempts, Duration retryInitialDelay,
            Duration retryMaxDelay, Duration cancelGrace, Duration callbackGrace, int claimBatchSize) {
        this(nodeId, pollInterval, sweepInterval, jobTimeout, leaseDuration, maxConcurrentRuns, maxLaunchAttempts,
                retryBackoff(retryInitialDelay, retryMaxDelay, DEFAULT_RETRY_MULTIPLIER, DEFAULT_RETRY_JITTER),
                cancelGrace, callbackGrace, claimBatchSize);
    }

    /**
     * @param nodeId this node's name
     * @return the default settings
     */
    public static EngineSettings defaults(String nodeId) {
        return new EngineSettings(nodeId, DEFAULT_POLL_INTERVAL, DEFAULT_SWEEP_INTERVAL, DEFAULT_JOB_TIMEOUT,
                DEFAULT_LEASE_DURATION, DEFAULT_MAX_CONCURRENT_RUNS, DEFAULT_MAX_LAUNCH_ATTEMPTS, Backoff.DEFAULT,
                DEFAULT_CANCEL_GRACE, DEFAULT_CALLBACK_GRACE, DEFAULT_CLAIM_BATCH_SIZE, DEFAULT_RUNNER_CALL_TIMEOUT,
                DEFAULT_RETENTION, DEFAULT_PENDING_TIMEOUT, DEFAULT_RUNNER_CALL_THREADS,
                DEFAULT_CALLBACK_SAFETY_POLL_EVERY);
    }

    /**
     * The engine's retry back-off from its four settings, with errors named as the settings are.
     *
     * @param initialDelay the first back-off
     * @param maxDelay the longest back-off
     * @param multiplier the growth per attempt
     * @param jitter the random fraction
     * @return the back-off
     * @throws IllegalArgumentException naming the first bad setting ({@code retryInitialDelay}, ...)
     */
    static Backoff retryBackoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
        return Backoff.ofSettings("retry", initialDelay, maxDelay, multiplier, jitter);
    }

    /** @return the first back-off after a transient failure ({@link Backoff#initialDelay()} of the back-off) */
    public Duration retryInitialDelay() {
        return retryBackoff.initialDelay();
    }

    /** @return the longest back-off ({@link Backoff#maxDelay()} of the back-off) */
    public Duration retryMaxDelay() {
        return retryBackoff.maxDelay();
    }

    /** @return how much the back-off grows per attempt ({@link Backoff#multiplier()}) */
    public double retryMultiplier() {
        return retryBackoff.multiplier();
    }

    /** @return the random fraction of each back-off ({@link Backoff#jitter()}) */
    public double retryJitter() {
        return retryBackoff.jitter();
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
