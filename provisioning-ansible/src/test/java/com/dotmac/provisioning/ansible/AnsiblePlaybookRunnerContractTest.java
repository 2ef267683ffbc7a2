package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;

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
    private static final int CAPACITY = 6;

    @TempDir
    Path workspace;

    private AnsiblePlaybookRunner runner;

    @Override
    protected AutomationRunner runner() {
        if (runner == null) {
            runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace).maxConcurrentRuns(CAPACITY).build());
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

    /** What the playbook itself reported seeing (the fixture's artifact {@code seen_vars}). */
    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> extraVarsReceived(String runId) {
        RunStatus status = runner().poll(List.of(runId)).get(runId);
        assertThat(status).as("poll answers for run %s", runId).isNotNull();
        Object seen = status.artifacts().get("seen_vars");
        assertThat(seen).as("the variables the playbook of run %s reported", runId).isInstanceOf(Map.class);
        return (Map<String, Object>) seen;
    }

    @Override
    protected int configuredMaxConcurrentRuns() {
        return CAPACITY;
    }

    /** A runner whose {@code ansible-playbook} command does not exist. */
    @Override
    protected Optional<AutomationRunner> runnerWithoutItsAutomation() {
        return Optional.of(new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace.resolve("without"))
                .ansiblePlaybookCommand("no-such-ansible-playbook-command").build()));
    }

    @AfterEach
    void stopWhatStillRuns() throws IOException {
        if (runner != null) {
            Fixtures.stopAll(runner);
        }
    }
}
