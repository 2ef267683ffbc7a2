package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link AutomationRunner} that times the calls made on another one. Thread-safe when the wrapped one is.
 *
 * @param target the real runner
 * @param timings where the times go
 */
public record TimedRunner(AutomationRunner target, Timings timings) implements AutomationRunner {
    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        return timings.time("runner.launch", () -> target.launch(spec));
    }

    @Override
    public Optional<LaunchedRun> findLaunched(LaunchSpec spec) {
        return timings.time("runner.findLaunched", () -> target.findLaunched(spec));
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        timings.items("runner.poll", runIds.size());
        return timings.time("runner.poll", () -> target.poll(runIds));
    }

    @Override
    public void cancel(String runId) {
        timings.time("runner.cancel", () -> {
            target.cancel(runId);
            return null;
        });
    }

    @Override
    public RunnerHealth health() {
        return target.health();
    }
}
