package com.dotmac.provisioning.benchmarks;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares deterministic counts by kind (SQL statements, AWX requests) with their bounds, today's values: prints the
 * breakdown per kind (in the test's output file), and fails naming each kind that grew and each kind that is new, so
 * a regression says what it added. A count below its bound passes, with a note to lower the bound. Stateless.
 */
final class CountBounds {
    private CountBounds() {
    }

    /**
     * @param what what was counted, e.g. {@code SQL statements for 20 lifecycles (instant run)}
     * @param jobs the jobs counted, to show the counts per job
     * @param measured the counts by kind
     * @param bounds the most each kind may count (a kind absent here may not occur)
     * @throws AssertionError naming the kinds over their bound, with the whole breakdown
     */
    static void check(String what, int jobs, Map<String, Long> measured, Map<String, Long> bounds) {
        TreeSet<String> kinds = new TreeSet<>(measured.keySet());
        kinds.addAll(bounds.keySet());
        List<String> over = new ArrayList<>();
        List<String> under = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%s (%d jobs):%n  %-45s %8s %8s %9s%n", what, jobs, "kind",
                "count", "bound", "per job"));
        long total = 0;
        long totalBound = 0;
        for (String kind : kinds) {
            long n = measured.getOrDefault(kind, 0L);
            Long bound = bounds.get(kind);
            total += n;
            totalBound += bound == null ? 0 : bound;
            table.append(String.format(Locale.ROOT, "  %-45s %8d %8s %9.2f%n", kind, n,
                    bound == null ? "none" : bound.toString(), n / (double) jobs));
            if (bound == null && n > 0) {
                over.add("'" + kind + "' is new: " + n + " (" + perJob(n, jobs) + " per job)");
            } else if (bound != null && n > bound) {
                over.add("'" + kind + "' grew: " + n + " > bound " + bound + " (+" + perJob(n - bound, jobs)
                        + " per job)");
            } else if (bound != null && n < bound) {
                under.add("'" + kind + "' " + n + " < bound " + bound);
            }
        }
        table.append(String.format(Locale.ROOT, "  %-45s %8d %8d %9.2f%n", "total", total, totalBound,
                total / (double) jobs));
        System.out.print(table);
        if (!under.isEmpty()) {
            System.out.println("  fewer than the bound (lower the bound to keep the gain): " + under);
        }
        if (!over.isEmpty()) {
            fail(what + ": more than today's bound, " + String.join("; ", over) + System.lineSeparator() + table);
        }
    }

    /** @return the map sorted by key, for messages */
    static Map<String, Long> sorted(Map<String, Long> counts) {
        return new TreeMap<>(counts);
    }

    private static String perJob(long n, int jobs) {
        return String.format(Locale.ROOT, "%.2f", n / (double) jobs);
    }
}
