package com.dotmac.provisioning.ansible.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether a run's processes are alive and signals its process group. A run's group id is the pid of its
 * wrapper (started by {@code setsid}); the group is alive while any of its processes is (zombies do not count).
 * Uses {@code /proc} where it exists (Linux), {@link ProcessHandle} elsewhere. Thread-safe (stateless).
 */
public final class ProcessGroups {
    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
    private static final Path PROC = Path.of("/proc");
    /** How much later than the pid file a process may have started and still be the one that wrote it. */
    private static final Duration PID_FILE_SLACK = Duration.ofSeconds(5);
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

    private ProcessGroups() {
    }

    /**
     * @param pid a run's wrapper pid (its process group id)
     * @param pidRecordedAt when the wrapper recorded it (the pid file's time), to tell a reused pid from ours
     * @return whether the wrapper or any other process of its group is still alive
     */
    public static boolean isAlive(long pid, Instant pidRecordedAt) {
        Instant boot = bootTime();
        if (boot != null && pidRecordedAt.isBefore(boot)) {
            return false;
        }
        if (isProcessAlive(pid, pidRecordedAt)) {
            return true;
        }
        return Files.isDirectory(PROC) && !liveMembers(pid).isEmpty();
    }

    /**
     * @param pgid a process group id
     * @return the pids of its live (non-zombie) processes; empty where {@code /proc} does not exist
     */
    public static List<Long> liveMembers(long pgid) {
        if (!Files.isDirectory(PROC)) {
            return List.of();
        }
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path entry : entries) {
                Stat stat = stat(Long.parseLong(entry.getFileName().toString()));
                if (stat != null && stat.processGroup() == pgid && stat.isLive()) {
                    members.add(stat.pid());
                }
            }
        } catch (IOException e) {
            log.debug("cannot list {}: {}", PROC, e.toString());
        }
        return members;
    }

    /**
     * Sends a signal to every process of a group.
     *
     * @param pgid the group
     * @param signal {@code TERM} or {@code KILL}
     * @return whether the signal was delivered (false when the group no longer exists)
     * @throws IOException when {@code kill} could not be run
     */
    public static boolean signalGroup(long pgid, String signal) throws IOException {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        if (!signal.equals("TERM") && !signal.equals("KILL")) {
            throw new IllegalArgumentException("unsupported signal " + signal);
        }
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s \"$1\" -- \"-$2\" 2>/dev/null", "sh", signal,
                Long.toString(pgid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IOException("kill -" + signal + " of process group " + pgid + " did not finish in "
                        + SIGNAL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling process group " + pgid, e);
        }
        return kill.exitValue() == 0;
    }

    private static boolean isProcessAlive(long pid, Instant pidRecordedAt) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        if (started.isPresent() && started.get().isAfter(pidRecordedAt.plus(PID_FILE_SLACK))) {
            return false;
        }
        if (!Files.isDirectory(PROC)) {
            return true;
        }
        Stat stat = stat(pid);
        return stat != null && stat.isLive();
    }

    private static @Nullable Instant bootTime() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.trace("no boot time: {}", e.toString());
        }
        return null;
    }

    private static @Nullable Stat stat(long pid) {
        String text;
        try {
            text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // gone, or not ours to read
        }
        // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 >= text.length()) {
            return null;
        }
        String[] fields = text.substring(close + 2).split(" ");
        if (fields.length < 3 || fields[0].isEmpty()) {
            return null;
        }
        try {
            return new Stat(pid, fields[0].charAt(0), Long.parseLong(fields[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isNumber(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The fields of {@code /proc/<pid>/stat} the runner needs. */
    private record Stat(long pid, char state, long processGroup) {
        boolean isLive() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }
}
