package com.dotmac.provisioning.benchmarks.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Describes the machine a run happens on: cores, CPU model, memory, JDK, load. Stateless. */
public final class Machine {
    private Machine() {
    }

    /** @return one line per fact, for the report */
    public static List<String> describe() {
        Runtime rt = Runtime.getRuntime();
        return List.of(
                "cores available to the JVM (nproc): " + rt.availableProcessors(),
                "CPU: " + cpuModel(),
                "RAM: " + memTotal(),
                "JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + "), max heap "
                        + rt.maxMemory() / (1024 * 1024) + " MiB",
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                String.format(Locale.ROOT, "load average at start: %.2f (the machine is shared with other builds "
                        + "and agents, so figures are noisy; compare ratios measured in one run)",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memTotal() {
        return firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> {
                    String kb = v.replaceAll("[^0-9]", "");
                    return kb.isEmpty() ? v : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1048576.0);
                })
                .orElse("unknown");
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
