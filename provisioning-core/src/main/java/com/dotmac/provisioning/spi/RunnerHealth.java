package com.dotmac.provisioning.spi;

import java.util.List;
import java.util.Objects;

/**
 * A runner's answer to "can you work?": reachability and configuration problems an operator can act on.
 *
 * @param healthy whether the runner can launch and follow runs
 * @param summary one line, e.g. {@code AWX 24.6.1 reachable at https://awx.example.com}
 * @param problems what to fix, one sentence each; empty when healthy
 */
public record RunnerHealth(boolean healthy, String summary, List<String> problems) {
    /** Copies the problems. */
    public RunnerHealth {
        Objects.requireNonNull(summary, "summary");
        problems = List.copyOf(problems);
    }

    /** @param summary what was checked @return a healthy answer */
    public static RunnerHealth healthy(String summary) {
        return new RunnerHealth(true, summary, List.of());
    }

    /** @param summary what was checked @param problems what to fix @return an unhealthy answer */
    public static RunnerHealth unhealthy(String summary, List<String> problems) {
        return new RunnerHealth(false, summary, problems);
    }
}
