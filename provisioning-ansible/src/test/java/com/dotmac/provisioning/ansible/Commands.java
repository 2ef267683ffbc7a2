package com.dotmac.provisioning.ansible;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line in tests and keeps its output. */
final class Commands {
    private Commands() {
    }

    /**
     * @param directory the working directory
     * @param timeout the longest it may take (it is killed then, and the result says so)
     * @param environment added to the inherited environment
     * @param command the command line
     * @return its exit status and output
     */
    static Result run(Path directory, Duration timeout, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("command-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Result(-1, "timed out after " + timeout + ":\n" + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * @param directory the working directory
     * @param command the command line
     * @return its exit status and output; it may take two minutes
     */
    static Result run(Path directory, String... command) throws IOException, InterruptedException {
        return run(directory, Duration.ofMinutes(2), Map.of("ANSIBLE_NOCOLOR", "1"), List.of(command));
    }

    /**
     * @param exitCode the exit status (-1: timed out)
     * @param output stdout and stderr
     */
    record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit status " + exitCode + ", output:\n" + output;
        }
    }
}
