package com.dotmac.provisioning.benchmarks.support;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return timings.time("runner.findRuns", () -> target.findRuns(spec));
    }

    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        timings.items("runner.findRunsOfJobs", specs.size());
        return timings.time("runner.findRunsOfJobs", () -> target.findRunsOfJobs(specs));
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
    public int maxConcurrentRuns() {
        return target.maxConcurrentRuns();
    }

    @Override
    public boolean callsEndWhenInterrupted() {
        return target.callsEndWhenInterrupted();
    }

    @Override
    public RunnerHealth health() {
        return target.health();
    }
}
