package com.dotmac.provisioning.ansible.internal;

import com.dotmac.provisioning.ansible.HostStats;
import com.dotmac.provisioning.rules.Strings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The events a run's callback plugin wrote ({@code events.jsonl}): task results, the failures among them, the
 * final recap and the {@code set_stats} artifacts. A line cut short (the run was killed while writing) is skipped.
 * Immutable once read.
 */
public final class RunEvents {
    private final List<Map<String, Object>> failures;
    private final @Nullable Map<String, Object> stats;
    private final @Nullable String lastTask;

    private RunEvents(List<Map<String, Object>> failures, @Nullable Map<String, Object> stats,
            @Nullable String lastTask) {
        this.failures = List.copyOf(failures);
        this.stats = stats;
        this.lastTask = lastTask;
    }

    /**
     * @param file an {@code events.jsonl} file
     * @return its events; none when the file does not exist
     * @throws UncheckedIOException when it exists but cannot be read
     */
    public static RunEvents read(Path file) {
        List<Map<String, Object>> failures = new ArrayList<>();
        Map<String, Object> stats = null;
        String lastTask = null;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                Map<String, Object> event = parse(line);
                if (event == null) {
                    continue;
                }
                switch (String.valueOf(event.get("event"))) {
                    case "failed" -> {
                        if (!Boolean.TRUE.equals(event.get("ignore_errors"))) {
                            failures.add(event);
                        }
                    }
                    case "unreachable" -> failures.add(event);
                    case "task_start" -> lastTask = string(event, "task");
                    case "stats" -> stats = event;
                    default -> {
                        // ok, skipped, play and playbook starts: not needed for the status
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return new RunEvents(List.of(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new RunEvents(failures, stats, lastTask);
    }

    /** @return whether the playbook got as far as its final recap */
    public boolean finished() {
        return stats != null;
    }

    /** @return the run's artifacts: the {@code set_stats} data with {@code per_host: false} */
    public Map<String, Object> artifacts() {
        if (stats != null && stats.get("custom") instanceof Map<?, ?> custom && custom.get("_run") instanceof Map<?, ?> run) {
            Map<String, Object> artifacts = new LinkedHashMap<>();
            run.forEach((k, v) -> artifacts.put(String.valueOf(k), v));
            return artifacts;
        }
        return Map.of();
    }

    /** @return the recap per host; empty before the playbook finished */
    public Map<String, HostStats> hosts() {
        Map<String, HostStats> hosts = new LinkedHashMap<>();
        if (stats != null && stats.get("hosts") instanceof Map<?, ?> all) {
            all.forEach((host, counts) -> {
                if (counts instanceof Map<?, ?> c) {
                    hosts.put(String.valueOf(host), new HostStats(count(c, "ok"), count(c, "changed"),
                            count(c, "failures"), count(c, "unreachable"), count(c, "skipped"), count(c, "rescued"),
                            count(c, "ignored")));
                }
            });
        }
        return hosts;
    }

    /** @return the name of the last task that started, if any */
    public Optional<String> lastTask() {
        return Optional.ofNullable(lastTask);
    }

    /**
     * @param maxLength the longest detail
     * @return why the run failed, from the first failure of a host that ended failed or unreachable (e.g.
     *     {@code task 'Render the compose file' failed on host localhost: <msg>}); empty when no task failed
     */
    public Optional<String> failureDetail(int maxLength) {
        Map<String, HostStats> hosts = hosts();
        // with a recap, only a host that ended failed or unreachable counts (a rescued failure does not)
        Map<String, Object> first = failures.stream()
                .filter(f -> hosts.isEmpty() || endedBadly(hosts.get(string(f, "host"))))
                .findFirst()
                .orElse(null);
        if (first == null) {
            return Optional.empty();
        }
        String task = Optional.ofNullable(string(first, "task")).orElse("(unnamed task)");
        String host = Optional.ofNullable(string(first, "host")).orElse("(unknown host)");
        String message = Optional.ofNullable(string(first, "msg")).filter(m -> !m.isBlank()).orElse("(no message)");
        String detail = "unreachable".equals(first.get("event"))
                ? "host " + host + " was unreachable in task '" + task + "': " + message
                : "task '" + task + "' failed on host " + host + ": " + message;
        long others = failures.size() - 1L;
        String suffix = others > 0 ? " (and " + others + " more failed task result" + (others > 1 ? "s" : "") + ")" : "";
        return Optional.of(Strings.abbreviate(detail, Math.max(1, maxLength - suffix.length())) + suffix);
    }

    private static boolean endedBadly(@Nullable HostStats stats) {
        return stats != null && (stats.failures() > 0 || stats.unreachable() > 0);
    }

    private static @Nullable Map<String, Object> parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return AnsibleJson.readObject(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static @Nullable String string(Map<String, Object> event, String key) {
        Object value = event.get(key);
        return value == null ? null : value.toString();
    }

    private static long count(Map<?, ?> counts, String key) {
        return counts.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
