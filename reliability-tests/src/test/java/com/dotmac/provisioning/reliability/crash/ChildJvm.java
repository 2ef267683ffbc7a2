package com.dotmac.provisioning.reliability.crash;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A JVM started with this JVM's {@code java} and class path (directories jarred), running a main class: its stdout
 * lines are queued for the test, its stderr (the child's log) goes to a file, and commands go to its stdin. Not
 * thread-safe.
 */
final class ChildJvm implements AutoCloseable {
    private static @Nullable String jarredClassPath;

    private final Process process;
    private final String name;
    private final long startedNanos = System.nanoTime();
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, String name) {
        this.process = process;
        this.name = name;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param mainClass the class to run
     * @param name the child's name in messages
     * @param log where the child's stderr is appended
     * @param jvmOptions extra options of the child's JVM
     * @param args its arguments
     * @return the running child
     * @throws IOException when it cannot be started
     */
    static ChildJvm start(Class<?> mainClass, String name, Path log, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-Duser.timezone=" + System.getProperty("user.timezone"), "-Dfile.encoding=UTF-8",
                "-Dlogback.configurationFile=crash-node-logback.xml",
                "-cp", classPath(log.getParent()), mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ChildJvm(process, name);
    }

    /**
     * This JVM's class path with each directory (e.g. {@code target/test-classes}) replaced by a jar of its content,
     * written once next to the log (one set per test JVM): class-data sharing archives refuse non-empty directories on
     * the class path.
     */
    private static synchronized String classPath(Path workDir) throws IOException {
        if (jarredClassPath == null) {
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    // named by this JVM's pid: test JVMs side by side (reliability.forks) share the directory
                    Path jar = workDir.resolve("child-classpath-" + ProcessHandle.current().pid() + "-" + n++
                            + ".jar");
                    jar(path, jar);
                    entries.add(jar.toString());
                } else {
                    entries.add(entry);
                }
            }
            jarredClassPath = String.join(File.pathSeparator, entries);
        }
        return jarredClassPath;
    }

    private static void jar(Path directory, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child died: its stdout is closed
        }
    }

    /**
     * @param wanted the line to wait for
     * @param timeout how long to wait
     * @return that line (earlier lines are dropped)
     * @throws IllegalStateException when the child dies or the time passes first
     */
    String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("child " + name + " did not print the expected line within "
                        + timeout + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** @return the child's name */
    String nodeId() {
        return name;
    }

    /** @return milliseconds since the child was started */
    long millisSinceStart() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** @param command one line for the child's stdin */
    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to child " + name, e);
        }
    }

    /** @return the lines printed so far and not yet awaited */
    List<String> drainLines() {
        List<String> drained = new ArrayList<>();
        lines.drainTo(drained);
        return drained;
    }

    /**
     * Kills the child with {@link Process#destroyForcibly()} (SIGKILL on Linux) and waits for it.
     *
     * @return its exit value (128 + 9 = 137 when SIGKILL ended it)
     */
    int killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + name + " survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /**
     * Kills several children at the same moment: SIGKILL to each, one right after the other, before waiting for any.
     *
     * @param children the children
     * @return their exit values, in order (137 for each that SIGKILL ended)
     */
    static List<Integer> killHardTogether(ChildJvm... children) throws InterruptedException {
        for (ChildJvm child : children) {
            child.process.destroyForcibly();
        }
        List<Integer> exits = new ArrayList<>();
        for (ChildJvm child : children) {
            exits.add(child.killHard());
        }
        return exits;
    }

    /**
     * Asks the child to exit and waits for it.
     *
     * @return its exit value
     */
    int exit(Duration timeout) throws InterruptedException {
        send("EXIT");
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return killHard();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
