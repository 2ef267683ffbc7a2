package com.dotmac.provisioning.ansible.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One job's run directory, {@code <workspace>/<run id>} (the run id is the job id), and the files in it. The
 * directory is created atomically (so a job is launched at most once per workspace), mode 0700; files that may hold
 * secrets are created mode 0600 and removed when the run ends. Thread-safe: every method works on the file system
 * only, and writes that others read are atomic renames.
 */
public final class RunDirectory {
    /** What was run (no secrets): job, tenant, operation, playbook, inventory, creation time. */
    public static final String RUN_JSON = "run.json";
    /** The run's extra vars, mode 0600; may hold the callback token; removed when the run ends. */
    public static final String EXTRA_VARS = "extra-vars.json";
    /** A customer-hosted tenant's rendered inventory, mode 0600; removed when the run ends. */
    public static final String INVENTORY = "inventory.yml";
    /** The wrapper that runs {@code ansible-playbook}. */
    public static final String SCRIPT = "run.sh";
    /** The callback plugin directory. */
    public static final String PLUGINS = "plugins";
    /** The callback plugin's output: one JSON object per line. */
    public static final String EVENTS = "events.jsonl";
    /** The playbook's output (stdout and stderr). */
    public static final String STDOUT = "stdout.log";
    /** The wrapper's own output (normally empty). */
    public static final String WRAPPER_LOG = "wrapper.log";
    /** The wrapper's process id, which is also the run's process group id. */
    public static final String PID = "pid";
    /** The exit status of {@code ansible-playbook}, written last. */
    public static final String RC = "rc";
    /** Present once a cancel was requested; holds the request time (epoch milliseconds). */
    public static final String CANCEL = "cancel";
    /** Ansible's local temporary directory. */
    public static final String TMP = "tmp";

    /** The files that may hold secrets. */
    public static final List<String> SECRET_FILES = List.of(EXTRA_VARS, INVENTORY);

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_EXECUTABLE = OWNER_ONLY_DIRECTORY;

    private final Path path;
    private final String runId;

    /**
     * @param workspace the workspace
     * @param runId a run id that {@link #isRunId(String)} accepts
     * @throws IllegalArgumentException for any other run id
     */
    public RunDirectory(Path workspace, String runId) {
        if (!isRunId(runId)) {
            throw new IllegalArgumentException("not a run id: letters, digits, '.', '_' and '-', at most 128");
        }
        this.runId = runId;
        this.path = workspace.resolve(runId);
    }

    /**
     * @param candidate a run id (or job id)
     * @return whether it can name a run directory: 1-128 letters, digits, {@code . _ -}, starting alphanumeric
     */
    public static boolean isRunId(String candidate) {
        return RUN_ID.matcher(candidate).matches();
    }

    /** @return the run id */
    public String runId() {
        return runId;
    }

    /** @return the directory */
    public Path path() {
        return path;
    }

    /**
     * @param name a file name in the directory
     * @return its path
     */
    public Path file(String name) {
        return path.resolve(name);
    }

    /** @return whether the directory exists */
    public boolean exists() {
        return Files.isDirectory(path);
    }

    /**
     * Creates the directory, mode 0700, unless it exists.
     *
     * @return whether this call created it
     * @throws IOException when it could not be created
     */
    public boolean create() throws IOException {
        try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        Files.setPosixFilePermissions(path, OWNER_ONLY_DIRECTORY);
        return true;
    }

    /**
     * Writes a file readable and writable by the owner only (mode 0600); it must not exist yet.
     *
     * @param name the file's name
     * @param content its text
     * @throws IOException when it could not be written
     */
    public void writePrivate(String name, String content) throws IOException {
        Path file = file(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /**
     * Creates an empty directory for the owner only (mode 0700).
     *
     * @param name its name
     * @throws IOException when it could not be created
     */
    public void createPrivateDirectory(String name) throws IOException {
        Files.createDirectory(file(name), PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
    }

    /**
     * Writes an executable for the owner only (mode 0700); it must not exist yet.
     *
     * @param name the file's name (may contain a sub-directory, which is created)
     * @param content its bytes
     * @throws IOException when it could not be written
     */
    public void writeExecutable(String name, byte[] content) throws IOException {
        Path file = file(name);
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_EXECUTABLE));
        Files.write(file, content);
    }

    /**
     * @param name a file's name
     * @return its text, or empty when it does not exist
     * @throws UncheckedIOException when it exists but cannot be read
     */
    public Optional<String> read(String name) {
        try {
            return Optional.of(Files.readString(file(name), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(name), e);
        }
    }

    /** @return the exit status of {@code ansible-playbook}, or null while it has none */
    public @Nullable Integer exitCode() {
        return read(RC).map(String::trim).map(RunDirectory::parseInt).orElse(null);
    }

    /** @return the wrapper's process id (the run's process group), or null before it recorded it */
    public @Nullable Long pid() {
        return read(PID).map(String::trim).map(RunDirectory::parseLong).orElse(null);
    }

    /**
     * @param name a file's name
     * @return when it was last modified, or null when it does not exist
     */
    public @Nullable Instant modifiedAt(String name) {
        try {
            return Files.getLastModifiedTime(file(name)).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + file(name), e);
        }
    }

    /** @return when the directory was last modified (its creation, or a file added since); now if it is gone */
    public Instant modifiedAt() {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /** @return when a cancel was requested, or null when none was */
    public @Nullable Instant cancelRequestedAt() {
        return read(CANCEL).map(String::trim).map(RunDirectory::parseLong).map(Instant::ofEpochMilli).orElse(null);
    }

    /**
     * Records a cancel request (the first request's time is kept).
     *
     * @param at the request's time
     * @throws IOException when it could not be recorded
     */
    public void requestCancel(Instant at) throws IOException {
        String tmpName = CANCEL + ".tmp-" + UUID.randomUUID();
        Path tmp = file(tmpName);
        writePrivate(tmpName, Long.toString(at.toEpochMilli()));
        try {
            Files.createLink(file(CANCEL), tmp);
        } catch (FileAlreadyExistsException e) {
            // an earlier request stands
        } catch (UnsupportedOperationException e) {
            if (!Files.exists(file(CANCEL))) {
                Files.move(tmp, file(CANCEL), StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Removes the files that may hold secrets.
     *
     * @return whether any was still there
     */
    public boolean deleteSecrets() {
        boolean any = false;
        for (String name : SECRET_FILES) {
            try {
                any |= Files.deleteIfExists(file(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file(name), e);
            }
        }
        return any;
    }

    /**
     * Removes the directory and everything in it.
     *
     * @throws IOException when something could not be removed
     */
    public void deleteRecursively() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) throws IOException {
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException e) {
                    throw new IOException("a file appeared in " + dir + " while it was removed", e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static @Nullable Integer parseInt(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static @Nullable Long parseLong(String text) {
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
