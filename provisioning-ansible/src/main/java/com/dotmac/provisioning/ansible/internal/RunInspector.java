package com.dotmac.provisioning.ansible.internal;

import com.dotmac.provisioning.ansible.AnsibleRunnerConfig;
import com.dotmac.provisioning.rules.Strings;
import com.dotmac.provisioning.spi.RunStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a run's state from its directory and its processes: an exit status means it ended (0: succeeded, with the
 * {@code set_stats} artifacts; otherwise failed, with the failed task, host and message, or cancelled when a cancel
 * was requested); without one, a live process group means running; a run that never recorded its process is pending
 * for {@link AnsibleRunnerConfig#startGrace()} (cancelled at once when a cancel was requested: its wrapper checks for
 * the request before it starts the playbook); anything else ended without an exit status (an error). Also escalates
 * a cancel: SIGTERM again while the run lives, SIGKILL once {@link AnsibleRunnerConfig#cancelGrace()} has passed, and
 * removes files holding secrets that a killed run left behind. Thread-safe (holds only the configuration).
 */
public final class RunInspector {
    private static final Logger log = LoggerFactory.getLogger(RunInspector.class);
    private static final int MAX_OUTPUT_LINES = 20_000;

    private final AnsibleRunnerConfig config;

    /** @param config the runner's configuration */
    public RunInspector(AnsibleRunnerConfig config) {
        this.config = config;
    }

    /**
     * @param dir an existing run directory
     * @param own the wrapper process when this runner started it, else null
     * @return what is known about the run
     */
    public Observation observe(RunDirectory dir, @Nullable Process own) {
        Integer rc = dir.exitCode();
        Instant cancelAt = dir.cancelRequestedAt();
        Liveness liveness = Liveness.DEAD;
        if (rc == null) {
            liveness = liveness(dir, own);
            if (liveness == Liveness.ALIVE) {
                if (cancelAt != null) {
                    enforceCancel(dir, own, cancelAt);
                }
                return new Observation(RunStatus.running(), null);
            }
            if (liveness == Liveness.STARTING && cancelAt == null) {
                return new Observation(RunStatus.pending(), null);
            }
            // not started yet but cancelled: its wrapper, should it still start, sees the cancel and stops at once
            rc = dir.exitCode(); // it may have ended between the two reads
        }
        if (dir.deleteSecrets()) {
            log.warn("run {}: removed the files holding its secrets, which the run left behind (it was killed)",
                    dir.runId());
        }
        RunEvents events = RunEvents.read(dir.file(RunDirectory.EVENTS));
        if (rc != null && rc == 0) {
            return new Observation(RunStatus.succeeded(events.artifacts()), rc);
        }
        if (cancelAt != null) {
            return new Observation(RunStatus.canceled(), rc);
        }
        if (rc == null) {
            return new Observation(RunStatus.error(noExitStatus(dir, events, liveness)), null);
        }
        int exitCode = rc;
        String detail = events.failureDetail(config.maxDetailLength()).orElseGet(() -> exitDetail(dir, exitCode));
        return new Observation(RunStatus.failed(detail), exitCode);
    }

    private Liveness liveness(RunDirectory dir, @Nullable Process own) {
        if (own != null && own.isAlive()) {
            return Liveness.ALIVE;
        }
        Long pid = dir.pid();
        Instant pidAt = dir.modifiedAt(RunDirectory.PID);
        if (pid == null || pidAt == null) {
            if (own != null) {
                return Liveness.NEVER_STARTED; // our wrapper ended before recording its pid
            }
            Instant created = dir.read(RunDirectory.RUN_JSON).flatMap(RunLauncher::createdAt)
                    .orElseGet(dir::modifiedAt);
            return config.clock().instant().isBefore(created.plus(config.startGrace())) ? Liveness.STARTING
                    : Liveness.NEVER_STARTED;
        }
        return ProcessGroups.isAlive(pid, pidAt) ? Liveness.ALIVE : Liveness.DEAD;
    }

    /** A cancelled run that still lives gets SIGTERM again, and SIGKILL once the grace has passed. */
    private void enforceCancel(RunDirectory dir, @Nullable Process own, Instant cancelAt) {
        Long pgid = dir.pid();
        if (pgid == null && own != null) {
            pgid = own.pid();
        }
        if (pgid == null) {
            return;
        }
        boolean graceOver = !config.clock().instant().isBefore(cancelAt.plus(config.cancelGrace()));
        String signal = graceOver ? "KILL" : "TERM";
        try {
            ProcessGroups.signalGroup(pgid, signal);
            if (graceOver) {
                log.warn("run {}: still running {} after the cancel; killed its process group {}", dir.runId(),
                        config.cancelGrace(), pgid);
            }
        } catch (IOException e) {
            log.warn("run {}: could not send SIG{} to process group {}: {}", dir.runId(), signal, pgid, e.toString());
        }
    }

    private String noExitStatus(RunDirectory dir, RunEvents events, Liveness liveness) {
        if (liveness == Liveness.NEVER_STARTED) {
            return "the run was prepared in " + dir + " but its process never started (the JVM may have stopped"
                    + " while launching it); retry the job";
        }
        String where = events.lastTask().map(t -> " during task '" + t + "'").orElse("");
        String failure = events.failureDetail(config.maxDetailLength() / 2).map(d -> "; " + d).orElse("");
        return Strings.abbreviate("ansible-playbook stopped without an exit status" + where
                + " (it was killed, or the machine restarted)" + failure + "; its output is in "
                + dir.file(RunDirectory.STDOUT), config.maxDetailLength());
    }

    private String exitDetail(RunDirectory dir, int rc) {
        String error = firstErrorLine(dir);
        return Strings.abbreviate("ansible-playbook exited with status " + rc + " (" + meaning(rc) + ")"
                + (error == null ? "" : ": " + error) + "; its output is in " + dir.file(RunDirectory.STDOUT),
                config.maxDetailLength());
    }

    private static @Nullable String firstErrorLine(RunDirectory dir) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                Files.newInputStream(dir.file(RunDirectory.STDOUT)), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)))) {
            String line;
            for (int i = 0; i < MAX_OUTPUT_LINES && (line = reader.readLine()) != null; i++) {
                if (line.startsWith("ERROR!")) {
                    return Strings.abbreviate(line, 300);
                }
            }
        } catch (IOException e) {
            log.debug("run {}: cannot read its output: {}", dir.runId(), e.toString());
        }
        return null;
    }

    private static String meaning(int rc) {
        return switch (rc) {
            case 1 -> "error";
            case 2 -> "a host failed";
            case 3 -> "a host was unreachable";
            case 4 -> "parse error";
            case 5 -> "bad or incomplete options";
            case 99 -> "interrupted";
            case 126 -> "the command could not be executed";
            case 127 -> "the command was not found";
            case 137 -> "killed";
            case 143 -> "terminated";
            case 250 -> "unexpected error";
            default -> "failed";
        };
    }

    /** Whether a run's processes live. */
    private enum Liveness {
        ALIVE, STARTING, NEVER_STARTED, DEAD
    }

    /**
     * What {@link #observe} found.
     *
     * @param status the run's status
     * @param exitCode the exit status of {@code ansible-playbook}, or null
     */
    public record Observation(RunStatus status, @Nullable Integer exitCode) {
    }
}
