package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.testkit.AutomationRunnerContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The runner contract, with real {@code ansible-playbook} runs of the fixture project on localhost. */
@RequiresAnsible
class AnsiblePlaybookRunnerContractTest extends AutomationRunnerContract {
    @TempDir
    Path workspace;

    private AnsiblePlaybookRunner runner;

    @Override
    protected AutomationRunner runner() {
        if (runner == null) {
            runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace).build());
        }
        return runner;
    }

    @Override
    protected LaunchSpec prepare(LaunchSpec spec, Outcome outcome) {
        Map<String, Object> vars = new LinkedHashMap<>(spec.extraVars());
        vars.put("fixture_outcome", outcome.name().toLowerCase(Locale.ROOT));
        return new LaunchSpec(spec.job(), vars, spec.launchPendingSince());
    }

    @Override
    protected String failingTask() {
        return Fixtures.FAILING_TASK;
    }

    @Override
    protected Duration runTimeout() {
        return Fixtures.RUN_TIMEOUT;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Optional<Map<String, Object>> extraVarsSeenBy(String runId) {
        RunStatus status = runner().poll(List.of(runId)).get(runId);
        return Optional.of((Map<String, Object>) status.artifacts().get("seen_vars"));
    }

    @AfterEach
    void stopWhatStillRuns() throws IOException {
        if (runner != null) {
            Fixtures.stopAll(runner);
        }
    }
}
