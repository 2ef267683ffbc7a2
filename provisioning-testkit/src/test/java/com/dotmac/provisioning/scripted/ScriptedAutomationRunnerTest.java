package com.dotmac.provisioning.scripted;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.testkit.AutomationRunnerContract;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

class ScriptedAutomationRunnerTest extends AutomationRunnerContract {
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC());

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

    @Override
    protected Optional<Map<String, Object>> extraVarsSeenBy(String runId) {
        return runner.launches().stream()
                .filter(s -> runner.findRuns(s).stream().findFirst().map(r -> r.runId().equals(runId)).orElse(false))
                .findFirst().map(LaunchSpec::extraVars);
    }
}
