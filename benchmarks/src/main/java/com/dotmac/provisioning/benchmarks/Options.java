package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.webhooks.sender.Webhooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The command line: benchmark names, then {@code name=value} options. Unknown options are refused by name, so a
 * typo never silently runs the defaults. Immutable.
 *
 * @param benchmarks the benchmarks to run, in order
 * @param values the options given
 */
record Options(List<String> benchmarks, Map<String, String> values) {
    static final Set<String> BENCHMARKS = Set.of("throughput", "awx", "scale", "nodes", "nodes-latency", "latency",
            "rollout", "outbox", "concurrent", "memory", "all");
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("databases", "postgresql,h2");
        d.put("h2.settings", "");
        d.put("throughput.jobs", "2000");
        d.put("throughput.warmup", "500");
        d.put("throughput.reps", "3");
        d.put("awx.jobs", "1000");
        d.put("awx.runtime", "600s");
        d.put("awx.polls", "15s,30s");
        d.put("awx.sweep", "2s");
        d.put("awx.callback-safety", "1,5");
        d.put("scale.jobs", "10000");
        d.put("scale.sweeps", "5");
        d.put("scale.database", "postgresql");
        d.put("nodes.counts", "1,2,3");
        d.put("nodes.jobs", "3000");
        d.put("nodes.database", "postgresql");
        d.put("nodes-latency.counts", "1,2,3");
        d.put("nodes-latency.jobs", "3000");
        d.put("nodes-latency.runner-delay", "50ms");
        d.put("nodes-latency.db-delay", "1ms");
        d.put("nodes-latency.clients-per-node", "4");
        d.put("nodes-latency.shapes", "4x4");
        d.put("nodes-latency.warmup", "300");
        d.put("latency.jobs", "60");
        d.put("latency.poll", "15s");
        d.put("latency.sweep", "2s");
        d.put("latency.runtime", "5s-35s");
        d.put("latency.callback-lead", "1s");
        d.put("latency.database", "postgresql");
        d.put("rollout.parts", "enqueue,whole");
        d.put("rollout.tenants", "10000");
        d.put("rollout.reps", "3");
        d.put("rollout.parallel", "200");
        d.put("rollout.runtime", "5s");
        d.put("rollout.poll", "2s");
        d.put("rollout.sweep", "1s");
        d.put("rollout.database", "postgresql");
        d.put("outbox.jobs", "2000");
        d.put("outbox.warmup", "500");
        d.put("outbox.reps", "3");
        d.put("outbox.lag-jobs", "1000");
        d.put("outbox.intervals", "1s,100ms");
        d.put("outbox.database", "postgresql");
        d.put("outbox.receivers", "java,webhook");
        d.put("outbox.webhook-poll", Webhooks.DEFAULT_POLL_INTERVAL.toMillis() + "ms");
        d.put("concurrent.database", "postgresql");
        d.put("concurrent.threads", "8");
        d.put("concurrent.jobs", "4000");
        d.put("concurrent.warmup", "1000");
        d.put("concurrent.reps", "3");
        d.put("concurrent.poll", "50ms");
        d.put("concurrent.sweep", "20ms");
        d.put("memory.jobs", "10000");
        d.put("memory.database", "postgresql");
        d.put("memory.runner-call-threads", MemoryBenchmark.DEFAULT + "," + MemoryBenchmark.DEFAULT
                + MemoryBenchmark.INTERRUPTIBLE);
        d.put("memory.call-latency", "20ms");
        d.put("memory.label", "");
        d.put("out", "");
        return d;
    }

    /**
     * @param args e.g. {@code throughput awx throughput.jobs=500}
     * @return the options
     * @throws IllegalArgumentException naming an unknown benchmark or option
     */
    static Options parse(String... args) {
        List<String> names = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                if (!BENCHMARKS.contains(arg)) {
                    throw new IllegalArgumentException("unknown benchmark '" + arg + "'; choose from " + BENCHMARKS);
                }
                names.add(arg);
            } else {
                String key = arg.substring(0, eq);
                if (!DEFAULTS.containsKey(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "'; options: " + DEFAULTS.keySet());
                }
                values.put(key, arg.substring(eq + 1));
            }
        }
        if (names.isEmpty() || names.contains("all")) {
            // "all" keeps the five benchmarks of the earlier reports; the later ones run only when named
            List<String> named = names;
            names = new ArrayList<>(List.of("throughput", "awx", "scale", "nodes", "latency"));
            for (String extra : List.of("nodes-latency", "rollout", "outbox", "concurrent", "memory")) {
                if (named.contains(extra)) {
                    names.add(extra);
                }
            }
        }
        return new Options(List.copyOf(names), Map.copyOf(values));
    }

    String text(String key) {
        return Objects.requireNonNull(values.getOrDefault(key, DEFAULTS.get(key)), () -> "no option " + key);
    }

    int integer(String key) {
        try {
            return Integer.parseInt(text(key).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " must be a whole number, not '" + text(key) + "'");
        }
    }

    List<String> list(String key) {
        return Arrays.stream(text(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    List<Integer> integers(String key) {
        try {
            return list(key).stream().map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " must be whole numbers, not '" + text(key) + "'");
        }
    }

    Duration duration(String key) {
        return parseDuration(key, text(key));
    }

    List<Duration> durations(String key) {
        return list(key).stream().map(v -> parseDuration(key, v)).toList();
    }

    /** @return a range {@code 5s-35s} as its two ends */
    Duration[] range(String key) {
        String[] ends = text(key).split("-");
        if (ends.length != 2) {
            throw new IllegalArgumentException("option " + key + " must be a range like 5s-35s");
        }
        return new Duration[] {parseDuration(key, ends[0]), parseDuration(key, ends[1])};
    }

    private static Duration parseDuration(String key, String value) {
        String v = value.strip();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("option " + key + ": '" + value + "' is not a duration like 500ms, 15s, 10m");
    }
}
