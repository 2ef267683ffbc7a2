package com.dotmac.provisioning.ansible.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The directory that holds one run directory per job. It must belong to the user running the JVM and be writable by
 * nobody else, since run directories briefly hold secrets. Thread-safe (immutable).
 */
public final class Workspace {
    private final Path path;

    private Workspace(Path path) {
        this.path = path;
    }

    /**
     * Creates the workspace (mode 0700) when missing and checks its owner and permissions.
     *
     * @param path the workspace directory
     * @return the workspace
     * @throws IllegalStateException when it cannot be created, is not a directory, belongs to another user or is
     *     writable by group or others
     */
    public static Workspace prepare(Path path) {
        try {
            if (!Files.isDirectory(path)) {
                Path parent = path.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(path,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(path)) {
                        throw new IllegalStateException("the Ansible runner's workspace " + path
                                + " exists but is not a directory", e);
                    }
                }
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException("the Ansible runner's workspace " + path + " is writable by others ("
                        + PosixFilePermissions.toString(permissions) + "); use a directory only its owner can write");
            }
            Integer owner = uid(path);
            Integer self = currentUid(path);
            if (owner != null && self != null && !owner.equals(self)) {
                throw new IllegalStateException("the Ansible runner's workspace " + path + " belongs to another user"
                        + " (uid " + owner + ", this process runs as uid " + self + ")");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the Ansible runner's workspace " + path + ": " + e, e);
        }
        return new Workspace(path);
    }

    /** @return the workspace directory */
    public Path path() {
        return path;
    }

    /**
     * @param runId a valid run id
     * @return its run directory (which may not exist)
     */
    public RunDirectory run(String runId) {
        return new RunDirectory(path, runId);
    }

    /**
     * @return every run directory in the workspace
     * @throws java.io.UncheckedIOException when the workspace cannot be listed
     */
    public List<RunDirectory> runs() {
        List<RunDirectory> runs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path, Files::isDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (RunDirectory.isRunId(name)) {
                    runs.add(run(name));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list the workspace " + path, e);
        }
        return runs;
    }

    private static @Nullable Integer uid(Path file) throws IOException {
        try {
            return (Integer) Files.getAttribute(file, "unix:uid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The uid files created by this process get: that of a probe file created in the workspace. */
    private static @Nullable Integer currentUid(Path workspace) throws IOException {
        Path probe = workspace.resolve(".owner-probe-" + UUID.randomUUID());
        Files.createFile(probe);
        try {
            return uid(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
