package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.rules.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a runner knows about one run.
 *
 * @param state the run's state
 * @param detail for failed, errored or lost runs: why, for an operator (e.g.
 *     {@code task 'Render compose file' failed on host dc1-control-01: <msg>}); bounded in length; else null
 * @param artifacts what the run reported (AWX {@code artifacts} from {@code set_stats}); empty when none
 */
public record RunStatus(RunState state, @Nullable String detail, Map<String, Object> artifacts) {
    /** Checks the state and copies the artifacts. */
    public RunStatus {
        Objects.requireNonNull(state, "state");
        artifacts = JsonValues.copyMap(artifacts);
    }

    /** @return a pending run */
    public static RunStatus pending() {
        return new RunStatus(RunState.PENDING, null, Map.of());
    }

    /** @return a running run */
    public static RunStatus running() {
        return new RunStatus(RunState.RUNNING, null, Map.of());
    }

    /** @param artifacts what it reported @return a successful run */
    public static RunStatus succeeded(Map<String, ?> artifacts) {
        return new RunStatus(RunState.SUCCEEDED, null, JsonValues.copyMap(artifacts));
    }

    /** @param detail why it failed @return a failed run */
    public static RunStatus failed(String detail) {
        return new RunStatus(RunState.FAILED, detail, Map.of());
    }

    /** @param detail what went wrong @return an errored run */
    public static RunStatus error(String detail) {
        return new RunStatus(RunState.ERROR, detail, Map.of());
    }

    /** @return a cancelled run */
    public static RunStatus canceled() {
        return new RunStatus(RunState.CANCELED, null, Map.of());
    }

    /** @param detail what the runner knows @return a lost run */
    public static RunStatus lost(String detail) {
        return new RunStatus(RunState.LOST, detail, Map.of());
    }
}
