package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.ConnectionProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ansible.internal.ProcessGroups;
import com.dotmac.provisioning.ansible.internal.RunDirectory;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the runner reads run directories in every state a run can leave behind (crafted on disk, with real processes
 * where liveness matters), refuses launches it cannot do, cancels by process group and escalates to SIGKILL. No
 * Ansible needed: where a launch must start something, a small shell script stands in for {@code ansible-playbook}.
 */
@RequiresAnsible("setsid")
class RunnerStatesTest {
    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(Instant.now());
    private AnsiblePlaybookRunner runner;

    private Path workspace() {
        return temp.resolve("runs");
    }

    private AnsiblePlaybookRunner runner() {
        if (runner == null) {
            runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace()).clock(clock).build());
        }
        return runner;
    }

    private RunStatus poll(String runId) {
        return runner().poll(List.of(runId)).get(runId);
    }

    /** A run directory as a run leaves it: the given files, and run.json created now. */
    private Path craft(String runId, Map<String, String> files) throws IOException {
        runner();
        Path dir = Files.createDirectory(workspace().resolve(runId));
        Files.writeString(dir.resolve(RunDirectory.RUN_JSON), "{\"created_at\": \"" + clock.instant() + "\"}");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }

    private static String events(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    @AfterEach
    void stopWhatStillRuns() throws IOException {
        if (runner != null) {
            Fixtures.stopAll(runner);
        }
    }

    @Test
    void aRunTheRunnerNeverIssuedIsLost() {
        assertThat(poll("no-such-run").state()).isEqualTo(RunState.LOST);
        assertThat(poll("no-such-run").detail()).contains("no run directory").contains(workspace().toString());
        assertThat(poll("../outside").state()).isEqualTo(RunState.LOST);
        runner().cancel("../outside");
        runner().cancel("no-such-run");
        assertThat(runner().report("no-such-run")).isEmpty();
        assertThat(runner().findRuns(Fixtures.fixtureSpec("never", Map.of())).stream().findFirst()).isEmpty();
    }

    @Test
    void exitStatusZeroIsSucceededWithTheSetStatsArtifactsAndTheRecap() throws IOException {
        craft("run-ok", Map.of(RunDirectory.RC, "0\n", RunDirectory.EVENTS, events(
                "{\"event\": \"task_start\", \"task\": \"Publish the artifacts\"}",
                "{\"event\": \"ok\", \"host\": \"localhost\", \"task\": \"Publish the artifacts\", \"changed\": false}",
                "{\"event\": \"stats\", \"hosts\": {\"localhost\": {\"ok\": 5, \"changed\": 2, \"failures\": 0,"
                        + " \"unreachable\": 0, \"skipped\": 1, \"rescued\": 0, \"ignored\": 0}},"
                        + " \"custom\": {\"_run\": {\"tenant_url\": \"https://acme.example\", \"port\": 20001}}}")));

        RunStatus status = poll("run-ok");
        AnsibleRunReport report = runner().report("run-ok").orElseThrow();

        assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(status.artifacts()).containsEntry("tenant_url", "https://acme.example").containsEntry("port", 20001L);
        assertThat(report.exitCode()).isZero();
        assertThat(report.hosts()).containsEntry("localhost", new HostStats(5, 2, 0, 0, 1, 0, 0));
        assertThat(report.totalChanged()).isEqualTo(2);
    }

    @Test
    void aFailedRunNamesTheFirstFailureOfAHostThatEndedFailedOrUnreachable() throws IOException {
        craft("run-failed", Map.of(RunDirectory.RC, "2\n", RunDirectory.EVENTS, events(
                "{\"event\": \"failed\", \"host\": \"h0\", \"task\": \"Optional step\", \"msg\": \"ignored\","
                        + " \"ignore_errors\": true}",
                "{\"event\": \"failed\", \"host\": \"h1\", \"task\": \"Rescued step\", \"msg\": \"rescued\","
                        + " \"ignore_errors\": false}",
                "{\"event\": \"failed\", \"host\": \"h2\", \"task\": \"Render the compose file\", \"msg\": \"boom\","
                        + " \"ignore_errors\": false}",
                "{\"event\": \"unreachable\", \"host\": \"h3\", \"task\": \"Render the compose file\", \"msg\": \"no route\"}",
                "{\"event\": \"stats\", \"hosts\": {\"h0\": {\"ok\": 1, \"ignored\": 1}, \"h1\": {\"ok\": 1, \"rescued\": 1},"
                        + " \"h2\": {\"failures\": 1}, \"h3\": {\"unreachable\": 1}}, \"custom\": {}}",
                "{\"event\": \"stats\", \"hosts\": {\"h2\": {\"failures\": 1}, \"h3\": {\"unreachable\": 1},"
                        + " \"h1\": {\"rescued\": 1}}, \"custom\": {}}")));

        RunStatus status = poll("run-failed");

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.detail()).isEqualTo(
                "task 'Render the compose file' failed on host h2: boom (and 2 more failed task results)");
    }

    @Test
    void aFailureWithoutFailedTasksQuotesAnsiblesErrorLine() throws IOException {
        Path dir = craft("run-parse", Map.of(RunDirectory.RC, "4\n", RunDirectory.STDOUT,
                "[WARNING]: something\nERROR! the playbook: missing.yml could not be found\n"));

        RunStatus status = poll("run-parse");

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.detail()).isEqualTo("ansible-playbook exited with status 4 (parse error): ERROR! the"
                + " playbook: missing.yml could not be found; its output is in " + dir.resolve(RunDirectory.STDOUT));
    }

    @Test
    void aRescuedFailureIsNotWhyARunFailed() throws IOException {
        craft("run-rescued", Map.of(RunDirectory.RC, "1\n", RunDirectory.STDOUT, "ERROR! Unexpected Exception\n",
                RunDirectory.EVENTS, events(
                        "{\"event\": \"failed\", \"host\": \"h1\", \"task\": \"Try\", \"msg\": \"rescued\"}",
                        "{\"event\": \"stats\", \"hosts\": {\"h1\": {\"ok\": 2, \"rescued\": 1}}, \"custom\": {}}")));

        assertThat(poll("run-rescued").detail())
                .startsWith("ansible-playbook exited with status 1 (error): ERROR! Unexpected Exception; ");
    }

    @Test
    void aRunWhoseProcessesDiedWithoutAnExitStatusIsAnErrorAndItsSecretsAreRemoved() throws Exception {
        Path dir = craft("run-killed", Map.of(RunDirectory.PID, deadPid() + "\n", RunDirectory.EXTRA_VARS, "{}",
                RunDirectory.INVENTORY, "---\n", RunDirectory.EVENTS, events(
                        "{\"event\": \"task_start\", \"task\": \"Render the compose file\"}")));

        RunStatus status = poll("run-killed");

        assertThat(status.state()).isEqualTo(RunState.ERROR);
        assertThat(status.detail()).startsWith("ansible-playbook stopped without an exit status during task"
                + " 'Render the compose file' (it was killed, or the machine restarted)");
        assertThat(dir.resolve(RunDirectory.EXTRA_VARS)).doesNotExist();
        assertThat(dir.resolve(RunDirectory.INVENTORY)).doesNotExist();
    }

    @Test
    void aRunThatNeverRecordedItsProcessIsPendingForTheStartGraceThenAnError() throws IOException {
        Path dir = craft("run-unstarted", Map.of(RunDirectory.EXTRA_VARS, "{}"));
        assertThat(poll("run-unstarted").state()).isEqualTo(RunState.PENDING);
        assertThat(dir.resolve(RunDirectory.EXTRA_VARS)).exists();

        clock.advance(AnsibleRunnerConfig.DEFAULT_START_GRACE);
        RunStatus status = poll("run-unstarted");

        assertThat(status.state()).isEqualTo(RunState.ERROR);
        assertThat(status.detail()).contains("never started");
        assertThat(dir.resolve(RunDirectory.EXTRA_VARS)).doesNotExist();
    }

    @Test
    void aCancelledRunIsCanceledUnlessItSucceededFirst() throws Exception {
        String cancelAt = Long.toString(clock.instant().toEpochMilli());
        craft("cancel-unstarted", Map.of(RunDirectory.CANCEL, cancelAt, RunDirectory.EXTRA_VARS, "{}"));
        craft("cancel-killed", Map.of(RunDirectory.PID, deadPid() + "\n", RunDirectory.CANCEL, cancelAt));
        craft("cancel-terminated", Map.of(RunDirectory.RC, "143\n", RunDirectory.CANCEL, cancelAt));
        craft("cancel-too-late", Map.of(RunDirectory.RC, "0\n", RunDirectory.CANCEL, cancelAt));

        assertThat(poll("cancel-unstarted").state()).isEqualTo(RunState.CANCELED);
        assertThat(workspace().resolve("cancel-unstarted").resolve(RunDirectory.EXTRA_VARS)).doesNotExist();
        assertThat(poll("cancel-killed").state()).isEqualTo(RunState.CANCELED);
        assertThat(poll("cancel-terminated").state()).isEqualTo(RunState.CANCELED);
        assertThat(poll("cancel-too-late").state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void cancelStopsTheRunsWholeProcessGroupWithSigkillWhenSigtermIsIgnored() throws Exception {
        runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace()).cancelGrace(Duration.ofSeconds(1))
                .build());
        // a run whose processes ignore SIGTERM (the child inherits the ignored signal)
        Process wrapper = new ProcessBuilder("setsid", "/bin/sh", "-c", "trap '' TERM; sleep 120; true").start();
        Path dir = craft("run-stubborn", Map.of(RunDirectory.PID, wrapper.pid() + "\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessGroups.liveMembers(wrapper.pid()).size() == 2);
        assertThat(poll("run-stubborn").state()).isEqualTo(RunState.RUNNING);

        runner.cancel("run-stubborn");

        assertThat(dir.resolve(RunDirectory.CANCEL)).exists();
        assertThat(Fixtures.awaitEnd(runner, "run-stubborn").state()).isEqualTo(RunState.CANCELED);
        // the group's members are reaped a moment after the run reads as ended: wait for that state
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessGroups.liveMembers(wrapper.pid()).isEmpty());
        assertThat(wrapper.waitFor()).isEqualTo(137);
    }

    @Test
    void launchingAJobWhoseRunDirectoryExistsStartsNothing() throws IOException {
        Path starts = temp.resolve("starts");
        runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace())
                .ansiblePlaybookCommand(fakeAnsiblePlaybook(starts).toString()).build());
        LaunchSpec spec = Fixtures.fixtureSpec("existing", Map.of());
        Path dir = Files.createDirectories(workspace().resolve(spec.correlationId()));

        assertThat(runner.launch(spec).runId()).isEqualTo(spec.correlationId());
        assertThat(runner.findRuns(spec).stream().findFirst()).map(r -> r.runId()).contains(spec.correlationId());
        assertThat(dir).isEmptyDirectory();
        assertThat(starts).doesNotExist();
    }

    @Test
    void aLaunchOverTheConfiguredMaximumIsRefusedTransientlyAndLeavesNothing() throws IOException {
        Path starts = temp.resolve("starts");
        runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace()).maxConcurrentRuns(1)
                .ansiblePlaybookCommand(fakeAnsiblePlaybook(starts).toString()).build());
        LaunchSpec first = Fixtures.fixtureSpec("busy-1", Map.of());
        LaunchSpec second = Fixtures.fixtureSpec("busy-2", Map.of());
        runner.launch(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.lines(starts).size() == 1);

        assertThatThrownBy(() -> runner.launch(second)).isInstanceOfSatisfying(AutomationException.class, e -> {
            assertThat(e.isTransient()).isTrue();
            assertThat(e.errorCode()).isEqualTo(AnsibleErrorCodes.BUSY);
            assertThat(e.retryAfter()).isPositive();
        });
        assertThat(workspace().resolve(second.correlationId())).doesNotExist();
        assertThat(runner.activeRuns()).isEqualTo(1);
    }

    @Test
    void jobsThatCannotRunHereAreRefusedPermanentlyBeforeAnythingIsWritten() {
        LaunchSpec noProfile = Fixtures.spec("t-1", "t-1", Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED,
                Map.of(), null, null);
        LaunchSpec template = Fixtures.fixtureSpec("t-2", Map.of("region", "{{ lookup('pipe', 'id') }}"));

        assertPermanent(runner(), noProfile, AnsibleErrorCodes.INVALID_JOB, "connection profile");
        LaunchSpec customer = Fixtures.spec("t-3", "t-3", Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED,
                Map.of(), new ConnectionProfile("203.0.113.9", 22, "deploy", "any-ref"), null);
        assertPermanent(runner(), customer, AnsibleErrorCodes.CONFIGURATION, "credential source");
        assertPermanent(runner(), template, AnsibleErrorCodes.INVALID_JOB, "extra_vars.region");
        assertThatThrownBy(() -> runner().launch(template)).message().doesNotContain("lookup");
        assertPermanent(new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace())
                        .playbook(Operation.PROVISION, "missing.yml").build()),
                Fixtures.fixtureSpec("t-3", Map.of()), AnsibleErrorCodes.CONFIGURATION, "missing.yml");
        assertPermanent(new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace())
                        .ansiblePlaybookCommand("/nonexistent/ansible-playbook").build()),
                Fixtures.fixtureSpec("t-4", Map.of()), AnsibleErrorCodes.CONFIGURATION, "install ansible-core");
        assertThat(workspace()).isEmptyDirectory();
    }

    private static void assertPermanent(AnsiblePlaybookRunner runner, LaunchSpec spec, String code, String message) {
        assertThatThrownBy(() -> runner.launch(spec)).isInstanceOfSatisfying(AutomationException.class, e -> {
            assertThat(e.isTransient()).isFalse();
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void purgeRemovesTheDirectoriesOfRunsThatEndedLongAgoOnly() throws Exception {
        Path old = craft("ended-long-ago", Map.of(RunDirectory.RC, "0\n"));
        Files.setLastModifiedTime(old.resolve(RunDirectory.RC), FileTime.from(clock.instant().minus(Duration.ofDays(40))));
        Path recent = craft("ended-recently", Map.of(RunDirectory.RC, "0\n"));
        Path unfinished = craft("never-ended", Map.of(RunDirectory.PID, deadPid() + "\n"));
        Files.setLastModifiedTime(unfinished, FileTime.from(clock.instant().minus(Duration.ofDays(40))));

        assertThat(runner().purgeFinishedRuns(Duration.ofDays(30))).isEqualTo(1);

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(unfinished).exists();
    }

    @Test
    void healthNamesWhatIsMissing() throws IOException {
        // a stand-in executable: health only looks for it, so this needs no Ansible on the machine
        var healthy = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace())
                .ansiblePlaybookCommand(fakeAnsiblePlaybook(temp.resolve("starts")).toString()).build()).health();
        assertThat(healthy.healthy()).as("%s", healthy).isTrue();
        assertThat(healthy.summary()).contains("fake-ansible-playbook").contains(workspace().toString());

        var broken = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(workspace())
                .playbook(Operation.UPGRADE, "missing-upgrade.yml")
                .ansiblePlaybookCommand("no-such-ansible-playbook").build()).health();

        assertThat(broken.healthy()).isFalse();
        assertThat(broken.problems()).anyMatch(p -> p.contains("missing-upgrade.yml"))
                .anyMatch(p -> p.contains("no-such-ansible-playbook"));
    }

    @Test
    void aWorkspaceOthersCanWriteIsRefused() throws IOException {
        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> new AnsiblePlaybookRunner(Fixtures.fixtureConfig(shared).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writable by others");
        Path created = temp.resolve("new/runs");
        new AnsiblePlaybookRunner(Fixtures.fixtureConfig(created).build());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rwx------");
    }

    /** A stand-in for ansible-playbook that records its start and then runs until it is stopped. */
    private Path fakeAnsiblePlaybook(Path starts) throws IOException {
        Path script = temp.resolve("fake-ansible-playbook");
        Files.writeString(script, "#!/bin/sh\necho \"$$\" >> '" + starts + "'\nexec sleep 120\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
