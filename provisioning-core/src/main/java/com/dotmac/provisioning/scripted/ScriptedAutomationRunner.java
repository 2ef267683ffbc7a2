package com.dotmac.provisioning.scripted;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AutomationRunner} that plays a {@link Script} per tenant instead of running automation: for tests and
 * for demos before a real runner is configured. It remembers every launch, so tests can assert that no job was
 * launched twice. Thread-safe (one lock).
 */
public final class ScriptedAutomationRunner implements AutomationRunner {
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, Script> scripts = new HashMap<>();
    private final Map<String, Integer> launchAttempts = new HashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final List<String> cancelled = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private Script defaultScript = Script.succeedAfter(1);
    private @Nullable AutomationException findRunsFailure;
    private volatile int maxConcurrentRuns;

    /** @param clock stamps each run's creation, which {@link #findRuns} compares */
    public ScriptedAutomationRunner(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param tenantId a tenant
     * @param script what its runs do
     * @return this
     */
    public ScriptedAutomationRunner script(String tenantId, Script script) {
        synchronized (lock) {
            scripts.put(tenantId, script);
        }
        return this;
    }

    /**
     * @param script what runs of tenants without a script do (initially: succeed after one poll)
     * @return this
     */
    public ScriptedAutomationRunner defaultScript(Script script) {
        synchronized (lock) {
            defaultScript = script;
        }
        return this;
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        synchronized (lock) {
            String jobId = spec.correlationId();
            Script script = scriptFor(spec.job().tenantId());
            int attempt = launchAttempts.merge(jobId, 1, Integer::sum);
            if (script.rejectionCode() != null) {
                throw AutomationException.permanent(script.rejectionCode(),
                        String.valueOf(script.rejectionMessage()));
            }
            if (attempt <= script.transientLaunchFailures()) {
                throw AutomationException.transientFailure("SCRIPTED_UNAVAILABLE",
                        "scripted launch failure " + attempt + " of " + script.transientLaunchFailures(), null);
            }
            String runId = String.valueOf(ids.incrementAndGet());
            runs.put(runId, new Run(runId, spec, script, clock.instant()));
            if (script.crashAfterLaunch() && attempt == script.transientLaunchFailures() + 1) {
                throw new SimulatedCrash("the engine died after run " + runId + " was launched for job " + jobId);
            }
            return new LaunchedRun(runId, 1L);
        }
    }

    /**
     * Makes every later {@link #findRuns} (and so {@link #findRunsOfJobs}) throw, as an unreachable service or a
     * broken configuration would.
     *
     * @param failure what to throw, or null to stop failing
     * @return this
     */
    public ScriptedAutomationRunner failFindRuns(@Nullable AutomationException failure) {
        synchronized (lock) {
            findRunsFailure = failure;
        }
        return this;
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        synchronized (lock) {
            if (findRunsFailure != null) {
                throw findRunsFailure;
            }
            return runs.values().stream()
                    .filter(r -> spec.correlationId().equals(
                            String.valueOf(r.spec.extraVars().get(PlaybookVariables.PROVISIONING_JOB_ID))))
                    .filter(r -> !r.createdAt.isBefore(spec.launchPendingSince()))
                    .map(r -> new LaunchedRun(r.id, 1L))
                    .toList();
        }
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        Map<String, RunStatus> result = new LinkedHashMap<>();
        synchronized (lock) {
            for (String id : runIds) {
                Run run = runs.get(id);
                result.put(id, run == null ? RunStatus.lost("unknown run " + id) : run.poll(clock.instant()));
            }
        }
        return result;
    }

    @Override
    public void cancel(String runId) {
        synchronized (lock) {
            cancelled.add(runId);
            Run run = runs.get(runId);
            if (run != null && !run.script.ignoreCancel() && !run.ended) {
                run.cancelRequested = true;
            }
        }
    }

    /**
     * @param limit the capacity this runner declares through {@link #maxConcurrentRuns()} (0: none)
     * @return this
     */
    public ScriptedAutomationRunner maxConcurrentRuns(int limit) {
        this.maxConcurrentRuns = limit;
        return this;
    }

    /** @return true: a call only takes this runner's lock for a moment, and never blocks */
    @Override
    public boolean callsEndWhenInterrupted() {
        return true;
    }

    @Override
    public int maxConcurrentRuns() {
        return maxConcurrentRuns;
    }

    @Override
    public RunnerHealth health() {
        return RunnerHealth.healthy("scripted runner: no automation is run (simulated)");
    }

    /** @return every launched run's spec, in launch order */
    public List<LaunchSpec> launches() {
        synchronized (lock) {
            return runs.values().stream().map(r -> r.spec).toList();
        }
    }

    /**
     * @param jobId a job
     * @return how many runs were created for it (more than one means a duplicate launch)
     */
    public long runsFor(String jobId) {
        synchronized (lock) {
            return runs.values().stream().filter(r -> r.spec.correlationId().equals(jobId)).count();
        }
    }

    /** @return the run ids that cancel was called for, in order */
    public List<String> cancelRequests() {
        synchronized (lock) {
            return List.copyOf(cancelled);
        }
    }

    private Script scriptFor(String tenantId) {
        return scripts.getOrDefault(tenantId, defaultScript);
    }

    private static final class Run {
        final String id;
        final LaunchSpec spec;
        final Script script;
        final Instant createdAt;
        int polls;
        boolean cancelRequested;
        boolean ended;

        Run(String id, LaunchSpec spec, Script script, Instant createdAt) {
            this.id = id;
            this.spec = spec;
            this.script = script;
            this.createdAt = createdAt;
        }

        RunStatus poll(Instant now) {
            if (cancelRequested) {
                ended = true;
                return RunStatus.canceled();
            }
            if (now.isBefore(createdAt.plus(script.pendingFor()))) {
                return RunStatus.pending();
            }
            polls++;
            if (script.outcome() == null || polls <= script.pollsBeforeEnd()) {
                return RunStatus.running();
            }
            ended = true;
            RunState outcome = script.outcome();
            String detail = String.valueOf(script.detail());
            return switch (outcome) {
                case SUCCEEDED -> RunStatus.succeeded(script.artifacts());
                case FAILED -> RunStatus.failed(detail);
                case ERROR -> RunStatus.error(detail);
                case LOST -> RunStatus.lost(detail);
                case CANCELED -> RunStatus.canceled();
                case PENDING, RUNNING -> RunStatus.running();
            };
        }
    }
}
