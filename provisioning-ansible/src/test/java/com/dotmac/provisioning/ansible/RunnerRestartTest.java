package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.ansible.internal.ProcessGroups;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new runner instance over the same workspace (what a JVM restart leaves) finds, follows and cancels the runs of
 * the old one, and never starts a job's playbook a second time.
 */
@RequiresAnsible
class RunnerRestartTest {
    @TempDir
    Path temp;

    private AnsibleRunnerConfig config;
    private AnsiblePlaybookRunner after;

    private AnsibleRunnerConfig config() throws IOException {
        if (config == null) {
            Path starts = temp.resolve("starts");
            config = Fixtures.fixtureConfig(temp.resolve("runs"))
                    .ansiblePlaybookCommand(Fixtures.countingAnsiblePlaybook(temp, starts).toString())
                    .build();
        }
        return config;
    }

    @AfterEach
    void stopWhatStillRuns() throws IOException {
        if (after != null) {
            Fixtures.stopAll(after);
        }
    }

    @Test
    void aNewRunnerFindsTheRunOfTheOldOneFollowsItToTheEndAndNeverStartsItAgain() throws IOException {
        Path gate = temp.resolve("gate");
        LaunchSpec spec = Fixtures.fixtureSpec("restart-gate", Map.of("fixture_gate", gate.toString()));
        AnsiblePlaybookRunner before = new AnsiblePlaybookRunner(config());
        LaunchedRun run = before.launch(spec);
        Fixtures.awaitProcessGroup(temp.resolve("runs").resolve(run.runId()));
        await().atMost(Fixtures.RUN_TIMEOUT).until(() -> Fixtures.lines(temp.resolve("starts")).size() == 1);

        after = new AnsiblePlaybookRunner(config());
        assertThat(after.findRuns(spec).stream().findFirst()).contains(run);
        assertThat(after.launch(spec)).isEqualTo(run);
        assertThat(after.poll(List.of(run.runId())).get(run.runId()).state()).isEqualTo(RunState.RUNNING);
        assertThat(after.activeRuns()).isZero();

        Files.createFile(gate);
        assertThat(Fixtures.awaitEnd(after, run.runId()).artifacts()).containsEntry("contract_artifact", "ok");
        assertThat(Fixtures.lines(temp.resolve("starts"))).hasSize(1);
    }

    @Test
    void aNewRunnerCancelsTheRunOfTheOldOneByItsProcessGroup() throws IOException {
        LaunchSpec spec = Fixtures.fixtureSpec("restart-hang", Map.of("fixture_outcome", "hang"));
        LaunchedRun run = new AnsiblePlaybookRunner(config()).launch(spec);
        Path dir = temp.resolve("runs").resolve(run.runId());
        long group = Fixtures.awaitProcessGroup(dir);
        // the playbook reached its hanging task: a `sleep` runs in the run's process group
        await().atMost(Fixtures.RUN_TIMEOUT).until(() -> Files.isRegularFile(dir.resolve("events.jsonl"))
                && Files.readString(dir.resolve("events.jsonl")).contains("Hang until cancelled"));
        // the event is written as the task starts, a moment before its worker forks `sleep`: wait for that state
        await().atMost(Fixtures.RUN_TIMEOUT).untilAsserted(
                () -> assertThat(ProcessGroups.liveMembers(group)).hasSizeGreaterThan(2));

        after = new AnsiblePlaybookRunner(config());
        after.cancel(run.runId());

        assertThat(Fixtures.awaitEnd(after, run.runId()).state()).isEqualTo(RunState.CANCELED);
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessGroups.liveMembers(group).isEmpty());
        assertThat(Fixtures.lines(temp.resolve("starts"))).hasSize(1);
    }
}
