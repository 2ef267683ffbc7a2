package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ansible.internal.Executables;
import com.dotmac.provisioning.ansible.internal.ProcessGroups;
import com.dotmac.provisioning.ansible.internal.RunDirectory;
import com.dotmac.provisioning.ansible.internal.RunEvents;
import com.dotmac.provisioning.ansible.internal.RunInspector;
import com.dotmac.provisioning.ansible.internal.RunLauncher;
import com.dotmac.provisioning.ansible.internal.Workspace;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AutomationRunner} that runs each job's playbook with {@code ansible-playbook} on this machine, without
 * AWX. Linux (or another system with {@code /proc} and util-linux {@code setsid}).
 *
 * <p>Each run lives in its own directory {@code <workspace>/<job id>}, created atomically (mode 0700): the job id is
 * the run id, so a job is never run twice from one workspace, and {@link #findRuns} finds its run after a JVM
 * restart. The directory holds the extra vars and (customer-hosted) the inventory rendered from the connection
 * profile, mode 0600 and removed when the run ends (they may hold the callback token); a wrapper started with
 * {@code setsid} (its pid is the run's process group) that records its pid, the playbook's output
 * ({@code stdout.log}) and its exit status ({@code rc}); and the events a small callback plugin writes
 * ({@code events.jsonl}: task results, the recap and the {@code set_stats} artifacts).
 *
 * <p>{@link #launch} returns as soon as the process is started. {@link #poll} reads the run directories: an exit
 * status 0 is {@code SUCCEEDED} with the artifacts, another is {@code FAILED} with the first failed task, its host
 * and message ({@code task 'Render the compose file' failed on host localhost: ...}); a live process group is
 * {@code RUNNING}; a run that ended without an exit status is {@code ERROR}; an unknown run is {@code LOST}.
 * {@link #cancel} sends SIGTERM to the run's process group and SIGKILL after
 * {@link AnsibleRunnerConfig#cancelGrace()}; the run then polls as {@code CANCELED}. All of this works from the run
 * directory alone, so a new runner instance (after a restart) continues where the old one stopped.
 *
 * <p>Thread-safe. Extra vars are never logged; a job's callback token only exists in the run's extra-vars file while
 * it runs.
 */
public final class AnsiblePlaybookRunner implements AutomationRunner {
    private static final Logger log = LoggerFactory.getLogger(AnsiblePlaybookRunner.class);
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(30);

    private final AnsibleRunnerConfig config;
    private final Workspace workspace;
    private final RunLauncher launcher;
    private final RunInspector inspector;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Object startLock = new Object();

    /**
     * Creates the runner, and its workspace when missing (mode 0700).
     *
     * @param config what to run and where
     * @throws IllegalStateException when the workspace cannot be created, belongs to another user, or is writable
     *     by others
     */
    public AnsiblePlaybookRunner(AnsibleRunnerConfig config) {
        this.config = config;
        this.workspace = Workspace.prepare(config.workspace());
        this.launcher = new RunLauncher(config);
        this.inspector = new RunInspector(config);
    }

    /** @return the configuration */
    public AnsibleRunnerConfig config() {
        return config;
    }

    /**
     * Starts {@code ansible-playbook} for the job in a new run directory, or returns the job's existing run
     * without starting anything when its directory already exists.
     *
     * @param spec the job and its extra vars
     * @return the run; its id is the job id
     * @throws AutomationException permanent ({@link AnsibleErrorCodes#CONFIGURATION},
     *     {@link AnsibleErrorCodes#INVALID_JOB}) when the job cannot run here; transient when
     *     {@link AnsibleRunnerConfig#maxConcurrentRuns()} runs are going ({@link AnsibleErrorCodes#BUSY}) or the run
     *     could not be written or started ({@link AnsibleErrorCodes#IO})
     */
    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        Optional<LaunchedRun> earlier = existingRun(spec);
        if (earlier.isPresent()) {
            log.info("job {}: its run directory exists; the job was launched before, not starting it again",
                    spec.correlationId());
            return earlier.get();
        }
        RunLauncher.Plan plan = launcher.plan(spec);
        RunDirectory dir = workspace.run(plan.runId());
        Process process;
        synchronized (startLock) {
            long active = activeRuns();
            if (active >= config.maxConcurrentRuns()) {
                throw new AutomationException(true, AnsibleErrorCodes.BUSY, active + " ansible-playbook runs are"
                        + " going (the configured maximum is " + config.maxConcurrentRuns() + ")", BUSY_RETRY_AFTER,
                        null);
            }
            try {
                if (!dir.create()) {
                    log.info("job {}: its run directory was just created by another launch; not starting it again",
                            spec.correlationId());
                    return new LaunchedRun(dir.runId(), null);
                }
            } catch (IOException e) {
                throw AutomationException.transientFailure(AnsibleErrorCodes.IO,
                        "cannot create the run directory " + dir + ": " + e.getMessage(), e);
            }
            try {
                process = launcher.start(dir, plan);
            } catch (IOException | RuntimeException e) {
                discard(dir);
                throw AutomationException.transientFailure(AnsibleErrorCodes.IO,
                        "cannot start ansible-playbook in " + dir + ": " + e.getMessage(), e);
            }
            processes.put(dir.runId(), process);
        }
        process.onExit().thenRun(() -> ended(dir, process));
        log.info("job {} ({} of tenant {}): started ansible-playbook {} in {} (process group {})",
                spec.correlationId(), spec.job().operation().wireName(), spec.job().tenantId(),
                plan.playbook().getFileName(), dir, process.pid());
        return new LaunchedRun(dir.runId(), null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A job has at most one run here: its run directory is named after the job id.
     *
     * @param spec the job
     * @return the job's run when its run directory exists (whichever runner instance started it), else empty
     */
    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return existingRun(spec).map(List::of).orElse(List.of());
    }

    private Optional<LaunchedRun> existingRun(LaunchSpec spec) {
        if (!RunDirectory.isRunId(spec.correlationId())) {
            return Optional.empty();
        }
        RunDirectory dir = workspace.run(spec.correlationId());
        return dir.exists() ? Optional.of(new LaunchedRun(dir.runId(), null)) : Optional.empty();
    }

    /**
     * Reads the runs' states from their directories (and processes).
     *
     * @param runIds run ids
     * @return a status for every id: {@code LOST} for one without a run directory
     * @throws AutomationException transient ({@link AnsibleErrorCodes#IO}) when a run directory cannot be read
     */
    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        Map<String, RunStatus> statuses = new LinkedHashMap<>();
        for (String runId : runIds) {
            statuses.put(runId, status(runId));
        }
        return statuses;
    }

    private RunStatus status(String runId) {
        Optional<RunDirectory> dir = existing(runId);
        if (dir.isEmpty()) {
            return RunStatus.lost("no run directory for run '" + runId + "' in " + workspace.path());
        }
        try {
            return inspector.observe(dir.get(), processes.get(runId)).status();
        } catch (UncheckedIOException e) {
            throw AutomationException.transientFailure(AnsibleErrorCodes.IO,
                    Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
        }
    }

    /**
     * Stops a run: records the request in its directory (so that a run still starting does not start the playbook,
     * and so that a later poll reports {@code CANCELED}), sends SIGTERM to its process group, and SIGKILL after
     * {@link AnsibleRunnerConfig#cancelGrace()} if it still runs. Returns at once. A run that already ended, or that
     * this runner does not know, is left alone.
     *
     * @param runId the run
     * @throws AutomationException transient ({@link AnsibleErrorCodes#IO}) when the request could not be recorded
     */
    @Override
    public void cancel(String runId) {
        Optional<RunDirectory> found = existing(runId);
        if (found.isEmpty()) {
            log.info("run {}: cancel requested, but there is no such run in {}", runId, workspace.path());
            return;
        }
        RunDirectory dir = found.get();
        if (dir.exitCode() != null) {
            log.debug("run {}: cancel requested after it ended; nothing to do", runId);
            return;
        }
        try {
            dir.requestCancel(config.clock().instant());
        } catch (IOException e) {
            throw AutomationException.transientFailure(AnsibleErrorCodes.IO,
                    "cannot record the cancel of run " + runId + " in " + dir + ": " + e.getMessage(), e);
        }
        Long pgid = processGroup(dir);
        if (pgid != null) {
            signal(dir, pgid, "TERM");
        }
        log.info("run {}: cancel requested; sent SIGTERM to process group {} (SIGKILL in {} if it still runs)", runId,
                pgid == null ? "(not started yet)" : pgid, config.cancelGrace());
        CompletableFuture.delayedExecutor(config.cancelGrace().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> killIfRunning(dir));
    }

    /**
     * @param runId a run id
     * @return what is known about the run (state, exit status, recap per host), or empty when there is no such run
     * @throws AutomationException transient ({@link AnsibleErrorCodes#IO}) when its directory cannot be read
     */
    public Optional<AnsibleRunReport> report(String runId) {
        Optional<RunDirectory> found = existing(runId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RunDirectory dir = found.get();
        try {
            RunInspector.Observation observation = inspector.observe(dir, processes.get(runId));
            RunEvents events = RunEvents.read(dir.file(RunDirectory.EVENTS));
            return Optional.of(new AnsibleRunReport(runId, dir.path(), observation.status(), observation.exitCode(),
                    events.hosts()));
        } catch (UncheckedIOException e) {
            throw AutomationException.transientFailure(AnsibleErrorCodes.IO,
                    Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
        }
    }

    /**
     * Removes the directories of runs that ended (have an exit status) longer than {@code olderThan} ago. Call it
     * now and then (e.g. daily with 30 days) to keep the workspace small; keep {@code olderThan} well above the
     * engine's job timeout.
     *
     * @param olderThan how long ago a run must have ended
     * @return how many run directories were removed
     * @throws AutomationException transient ({@link AnsibleErrorCodes#IO}) when the workspace cannot be listed
     */
    public int purgeFinishedRuns(Duration olderThan) {
        Instant cutoff = config.clock().instant().minus(olderThan);
        int removed = 0;
        for (RunDirectory dir : workspace.runs()) {
            Instant ended = dir.modifiedAt(RunDirectory.RC);
            if (ended != null && ended.isBefore(cutoff) && !processes.containsKey(dir.runId())) {
                try {
                    dir.deleteRecursively();
                    removed++;
                } catch (IOException e) {
                    log.warn("run {}: cannot remove its directory {}: {}", dir.runId(), dir, e.toString());
                }
            }
        }
        if (removed > 0) {
            log.info("removed {} run directories of runs that ended before {}", removed, cutoff);
        }
        return removed;
    }

    /**
     * Checks that the project, its playbooks and inventory, {@code ansible-playbook}, {@code setsid} and the
     * workspace are in place. Starts no process.
     *
     * @return what an operator should fix; never throws
     */
    /** @return the configured process limit, so that the engine keeps jobs queued instead of launching past it */
    @Override
    public int maxConcurrentRuns() {
        return config.maxConcurrentRuns();
    }

    @Override
    public RunnerHealth health() {
        List<String> problems = new ArrayList<>();
        try {
            if (!Files.isDirectory(config.projectDirectory())) {
                problems.add("the Ansible project directory " + config.projectDirectory() + " does not exist");
            }
            for (Operation op : Operation.values()) {
                if (!Files.isRegularFile(config.playbook(op))) {
                    problems.add("the playbook of '" + op.wireName() + "' does not exist: " + config.playbook(op));
                }
            }
            if (!Files.isRegularFile(config.dotmacHostedInventory())) {
                problems.add("the dotmac_hosted inventory does not exist: " + config.dotmacHostedInventory());
            }
            String searchPath = config.environment().getOrDefault("PATH", System.getenv("PATH"));
            Optional<Path> ansible = Executables.find(config.ansiblePlaybookCommand(), searchPath);
            if (ansible.isEmpty()) {
                problems.add("'" + config.ansiblePlaybookCommand() + "' was not found on PATH: install ansible-core"
                        + " 2.14 or newer");
            }
            if (Executables.find(config.setsidCommand(), searchPath).isEmpty()) {
                problems.add("'" + config.setsidCommand() + "' was not found on PATH: install util-linux");
            }
            if (!Files.isDirectory(workspace.path()) || !Files.isWritable(workspace.path())) {
                problems.add("the workspace " + workspace.path() + " is not a writable directory");
            }
            String summary = "ansible-playbook " + ansible.map(Path::toString).orElse("(not found)") + ", project "
                    + config.projectDirectory() + ", workspace " + workspace.path() + ", " + activeRuns() + " of at"
                    + " most " + config.maxConcurrentRuns() + " runs going";
            return problems.isEmpty() ? RunnerHealth.healthy(summary) : RunnerHealth.unhealthy(summary, problems);
        } catch (RuntimeException e) {
            problems.add("the health check failed: " + e);
            return RunnerHealth.unhealthy("local ansible-playbook runner", problems);
        }
    }

    /** @return how many runs this runner instance started are still going */
    public long activeRuns() {
        return processes.values().stream().filter(Process::isAlive).count();
    }

    private Optional<RunDirectory> existing(String runId) {
        if (!RunDirectory.isRunId(runId)) {
            return Optional.empty();
        }
        RunDirectory dir = workspace.run(runId);
        return dir.exists() ? Optional.of(dir) : Optional.empty();
    }

    private @Nullable Long processGroup(RunDirectory dir) {
        Long pid = dir.pid();
        if (pid != null) {
            return pid;
        }
        Process own = processes.get(dir.runId());
        return own != null && own.isAlive() ? own.pid() : null;
    }

    private void killIfRunning(RunDirectory dir) {
        if (!dir.exists()) {
            return;
        }
        try {
            RunStatus status = inspector.observe(dir, processes.get(dir.runId())).status();
            log.debug("run {}: {} after the cancel grace", dir.runId(), status.state());
        } catch (RuntimeException e) {
            log.warn("run {}: could not check it after the cancel grace: {}", dir.runId(), e.toString());
        }
    }

    private void signal(RunDirectory dir, long pgid, String signal) {
        try {
            ProcessGroups.signalGroup(pgid, signal);
        } catch (IOException e) {
            log.warn("run {}: could not send SIG{} to process group {}: {}", dir.runId(), signal, pgid, e.toString());
        }
    }

    private void ended(RunDirectory dir, Process process) {
        processes.remove(dir.runId(), process);
        try {
            if (dir.deleteSecrets()) {
                log.warn("run {}: its wrapper ended without removing the files holding secrets; removed them",
                        dir.runId());
            }
        } catch (RuntimeException e) {
            log.error("run {}: cannot remove the files holding its secrets in {}: {}", dir.runId(), dir, e.toString());
        }
        log.debug("run {}: wrapper process {} ended with status {}", dir.runId(), process.pid(), process.exitValue());
    }

    private static void discard(RunDirectory dir) {
        try {
            dir.deleteRecursively();
        } catch (IOException e) {
            log.error("run {}: could not remove the directory of a run that did not start ({}); remove {} by hand",
                    dir.runId(), e.toString(), dir);
        }
    }
}
