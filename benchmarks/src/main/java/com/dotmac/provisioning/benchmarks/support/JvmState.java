package com.dotmac.provisioning.benchmarks.support;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JVM's heap and threads: heap used after a full collection, a live class histogram (HotSpot's
 * {@code GC.class_histogram}, which collects first), bytes allocated by the calling thread, and live threads
 * grouped by name. Stateless.
 */
public final class JvmState {
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

    private JvmState() {
    }

    /**
     * One class in the histogram.
     *
     * @param instances live instances
     * @param bytes their shallow size
     */
    public record ClassUse(long instances, long bytes) {
    }

    /** @return bytes of heap in use after a full collection (the histogram's collection) */
    public static long heapUsedAfterGc() {
        histogram();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    /** @return bytes of heap in use now, garbage included (no collection: cheap enough to sample often) */
    public static long heapUsedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** @return the most heap the JVM may use ({@code -Xmx}), or -1 when it is not bounded */
    public static long heapMax() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    /** @return live instances and bytes per class name, after a full collection */
    public static Map<String, ClassUse> histogram() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("no class histogram on this JVM", e);
        }
        Map<String, ClassUse> classes = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.matches()) {
                classes.put(m.group(3), new ClassUse(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        }
        return classes;
    }

    /**
     * @param histogram a histogram
     * @param which which classes
     * @return their instances and bytes together
     */
    public static ClassUse sum(Map<String, ClassUse> histogram, Predicate<String> which) {
        long instances = 0;
        long bytes = 0;
        for (Map.Entry<String, ClassUse> e : histogram.entrySet()) {
            if (which.test(e.getKey())) {
                instances += e.getValue().instances();
                bytes += e.getValue().bytes();
            }
        }
        return new ClassUse(instances, bytes);
    }

    /** @return bytes the calling thread allocated so far (HotSpot), or -1 */
    public static long allocatedByThisThread() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean hotspot) {
            return hotspot.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    /** @return live threads by group (the name with its numbers removed) */
    public static Map<String, Integer> threadsByGroup() {
        return threadsByGroup(t -> true);
    }

    /**
     * @param which which threads to count
     * @return those live threads by group (the name with its numbers removed)
     */
    public static Map<String, Integer> threadsByGroup(Predicate<Thread> which) {
        Map<String, Integer> groups = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (which.test(t)) {
                groups.merge(group(t.getName()), 1, Integer::sum);
            }
        }
        return groups;
    }

    private static String group(String name) {
        String g = name.replaceAll("\\d+", "#").replaceAll("(http|https)://\\S+", "<url>");
        if (g.startsWith("MockWebServer")) {
            return "MockWebServer (fake AWX)";
        }
        return g.length() > 60 ? g.substring(0, 60) : g;
    }
}
