package com.dotmac.provisioning.ansible.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Finds executables the way a shell does. Thread-safe (stateless). */
public final class Executables {
    private Executables() {
    }

    /**
     * @param command a name to look up on the search path, or a path (containing {@code /})
     * @param searchPath the {@code PATH} to search ({@code :}-separated), or null for none
     * @return the executable file, or empty when there is none
     */
    public static Optional<Path> find(String command, @Nullable String searchPath) {
        try {
            if (command.contains("/")) {
                return executable(Path.of(command).toAbsolutePath());
            }
            if (searchPath == null) {
                return Optional.empty();
            }
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Optional<Path> found = executable(Path.of(dir).resolve(command).toAbsolutePath());
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path candidate) {
        return Files.isRegularFile(candidate) && Files.isExecutable(candidate) ? Optional.of(candidate.normalize())
                : Optional.empty();
    }
}
