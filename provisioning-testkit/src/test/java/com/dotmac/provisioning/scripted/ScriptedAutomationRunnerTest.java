package com.dotmac.provisioning.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.testkit.AutomationRunnerContract;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The core's runner contract, run against the scripted runner. */
class ScriptedAutomationRunnerTest extends AutomationRunnerContract {
    private static final int CAPACITY = 3;
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC())
            .maxConcurrentRuns(CAPACITY);

    @Override
    protected AutomationRunner runner() {
        return runner;
    }

    @Override
    protected LaunchSpec prepare(LaunchSpec spec, Outcome outcome) {
        String tenant = spec.job().tenantId();
        switch (outcome) {
            case SUCCEED -> runner.script(tenant, Script.succeedAfter(1).withArtifacts(Map.of("contract_artifact", "ok")));
            case FAIL -> runner.script(tenant, Script.failAfter(1, failingTask(), "host-1", "boom"));
            case HANG -> runner.script(tenant, Script.hang());
        }
        return spec;
    }

    /** No service behind it: what it received is its own record of the launch with that run id. */
    @Override
    protected Map<String, Object> extraVarsReceived(String runId) {
        List<LaunchSpec> launched = runner.launches().stream()
                .filter(s -> runner.findRuns(s).stream().anyMatch(r -> r.runId().equals(runId)))
                .toList();
        assertThat(launched).as("the launch the runner recorded for run %s", runId).hasSize(1);
        return launched.get(0).extraVars();
    }

    @Override
    protected int configuredMaxConcurrentRuns() {
        return CAPACITY;
    }

    /** The scripted runner runs no automation: its health is always healthy. */
    @Override
    protected Optional<AutomationRunner> runnerWithoutItsAutomation() {
        return Optional.empty();
    }
}
