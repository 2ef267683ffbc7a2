package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An {@link AutomationRunner} that forwards every call to another one; a test overrides the calls it wants to make
 * slow, failing or fatal (a node that dies right after a launch, a search that takes a minute). Thread-safe when the
 * runner it wraps and the overrides are.
 */
public abstract class ForwardingAutomationRunner implements AutomationRunner {
    private final AutomationRunner delegate;

    /** @param delegate the runner that does the work */
    protected ForwardingAutomationRunner(AutomationRunner delegate) {
        this.delegate = delegate;
    }

    /** @return the runner that does the work */
    protected final AutomationRunner delegate() {
        return delegate;
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        return delegate.launch(spec);
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return delegate.findRuns(spec);
    }

    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        return delegate.findRunsOfJobs(specs);
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        return delegate.poll(runIds);
    }

    @Override
    public void cancel(String runId) {
        delegate.cancel(runId);
    }

    @Override
    public int maxConcurrentRuns() {
        return delegate.maxConcurrentRuns();
    }

    @Override
    public Duration launchSettleTime() {
        return delegate.launchSettleTime();
    }

    @Override
    public RunnerHealth health() {
        return delegate.health();
    }
}
