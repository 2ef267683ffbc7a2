package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.policy.RequestVariable;
import com.dotmac.provisioning.policy.RequestVariables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.ansible.internal.ProcessGroups;
import com.dotmac.provisioning.ansible.internal.RunDirectory;
import com.dotmac.provisioning.ansible.internal.AnsibleJson;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import com.dotmac.provisioning.scripted.SimulatedCrash;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with the local runner, end to end: a {@link TenantProvisioner} over an in-memory repository and tenant
 * directory, with callbacks configured, provisions a tenant with the repository's playbooks; a restart of the
 * engine mid-run re-attaches through the run directory alone; a cancel kills the run's process group.
 */
@RequiresAnsible
class EngineEndToEndTest {
    private static final byte[] SECRET = "an end-to-end test secret of at least 32 bytes".getBytes(StandardCharsets.UTF_8);
    private static final Duration JOB_TIMEOUT = Fixtures.RUN_TIMEOUT;

    @TempDir
    Path temp;

    private final InMemoryJobRepository repository = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<AnsiblePlaybookRunner> runners = new ArrayList<>();
    private CallbackEndpoint platform;

    @BeforeEach
    void startPlatform() throws IOException {
        platform = new CallbackEndpoint();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        for (AnsiblePlaybookRunner runner : runners) {
            Fixtures.stopAll(runner);
        }
        platform.close();
    }

    private AnsiblePlaybookRunner runner(AnsibleRunnerConfig config) {
        AnsiblePlaybookRunner runner = new AnsiblePlaybookRunner(config);
        runners.add(runner);
        return runner;
    }

    /** A provisioner (one engine node) that polls often; the callback endpoint forwards to it. */
    private TenantProvisioner provisioner(String node, AutomationRunner runner) {
        return provisioner(node, runner, Duration.ofSeconds(10));
    }

    private TenantProvisioner provisioner(String node, AutomationRunner runner, Duration lease) {
        ExecutorScheduler scheduler = new ExecutorScheduler(2, Duration.ofSeconds(10));
        TenantProvisioner provisioner = TenantProvisioner.builder()
                .repository(repository)
                .tenantDirectory(tenants)
                .runner(runner)
                .scheduler(scheduler)
                .nodeId(node)
                .pollInterval(Duration.ofMillis(200))
                .sweepInterval(Duration.ofMillis(200))
                .leaseDuration(lease)
                .retryDelays(Duration.ofMillis(200), Duration.ofSeconds(2))
                .callback(new CallbackSettings(platform.urlTemplate(), SECRET))
                .requestVariables(RequestVariables.of(RequestVariable.string("fixture_outcome").build(),
                        RequestVariable.string("fixture_gate").maxLength(1024).build()))
                .build();
        open.add(scheduler);
        open.add(provisioner);
        platform.forwardTo(provisioner);
        provisioner.start();
        return provisioner;
    }

    private ProvisioningJob awaitStatus(TenantProvisioner provisioner, String jobId, JobStatus status) {
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> provisioner.job(jobId).orElseThrow().status().isTerminal()
                        || provisioner.job(jobId).orElseThrow().status() == status);
        ProvisioningJob job = provisioner.job(jobId).orElseThrow();
        assertThat(job.status()).as("job %s: %s %s", jobId, job.errorCode(), job.errorMessage()).isEqualTo(status);
        return job;
    }

    @Test
    void theEngineProvisionsATenantWithTheRepositorysPlaybooksAndTheCallbackCarriesTokenAndArtifacts()
            throws IOException {
        tenants.put("t-100", "acme", "pending");
        Path runs = temp.resolve("runs");
        Path tenantsRoot = temp.resolve("tenants");
        try (LogCapture logs = new LogCapture()) {
            TenantProvisioner provisioner = provisioner("node-a",
                    runner(Fixtures.contentConfig(runs, tenantsRoot).build()));

            ProvisioningJob requested = provisioner.request(ProvisioningRequest.provision("t-100",
                    DeploymentMode.DOTMAC_HOSTED));
            ProvisioningJob job = awaitStatus(provisioner, requested.id(), JobStatus.SUCCEEDED);

            await().atMost(Duration.ofSeconds(10)).until(() -> "provisioned".equals(tenants.statusOf("t-100")));
            assertThat(job.artifacts()).containsEntry("tenant_url", "https://acme.tenants.test")
                    .containsEntry("tenant_admin_url", "https://acme.tenants.test/admin/");
            String token = provisioner.callbackToken(job.id());
            assertThat(platform.calls()).singleElement().satisfies(call -> {
                assertThat(call.path()).isEqualTo("/api/v1/tenants/t-100/provisioning/jobs/" + job.id() + "/callback");
                assertThat(call.authorization()).isEqualTo("Bearer " + token);
                assertThat(call.status()).isEqualTo(204);
                Map<String, Object> body = AnsibleJson.readObject(call.body());
                assertThat(body).containsEntry("tenant_id", "t-100").containsEntry("provisioning_job_id", job.id())
                        .containsEntry("status", "succeeded");
                assertThat(body.get("artifacts")).isInstanceOf(Map.class).asString()
                        .contains("tenant_url=https://acme.tenants.test");
            });
            assertThat(provisioner.events(job.id())).extracting(JobEvent::type).contains(JobEventType.CALLBACK_RECEIVED);
            assertThat(AnsibleJson.readObject(Files.readString(tenantsRoot.resolve("acme/tenant.json"))))
                    .containsEntry("last_provisioning_job_id", job.id());

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(token));
            assertThat(Fixtures.filesContaining(runs, token)).isEmpty();
            assertThat(Fixtures.filesContaining(tenantsRoot, token)).isEmpty();
        }
    }

    @Test
    void anEngineRestartedMidRunReattachesThroughTheRunDirectoryAndStartsThePlaybookOnlyOnce() throws IOException {
        tenants.put("t-200", "beta", "pending");
        Path starts = temp.resolve("starts");
        Path gate = temp.resolve("gate");
        AnsibleRunnerConfig config = Fixtures.fixtureConfig(temp.resolve("runs"))
                .ansiblePlaybookCommand(Fixtures.countingAnsiblePlaybook(temp, starts).toString())
                .build();
        TenantProvisioner first = provisioner("node-a", runner(config));
        ProvisioningJob requested = first.request(ProvisioningRequest.builder("t-200")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .extraVar("fixture_gate", gate.toString())
                .build());
        ProvisioningJob running = awaitStatus(first, requested.id(), JobStatus.IN_PROGRESS);
        Fixtures.awaitProcessGroup(temp.resolve("runs").resolve(running.runId()));
        await().atMost(JOB_TIMEOUT).until(() -> Fixtures.lines(starts).size() == 1);

        first.close();
        TenantProvisioner second = provisioner("node-b", runner(config));
        Files.createFile(gate);

        ProvisioningJob done = awaitStatus(second, requested.id(), JobStatus.SUCCEEDED);
        assertThat(done.runId()).isEqualTo(running.runId()).isEqualTo(requested.id());
        assertThat(done.artifacts()).containsEntry("contract_artifact", "ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> "provisioned".equals(tenants.statusOf("t-200")));
        assertThat(Fixtures.lines(starts)).as("ansible-playbook processes started for the job").hasSize(1);
        assertThat(second.events(done.id())).filteredOn(e -> e.to() == JobStatus.IN_PROGRESS).hasSize(1);
    }

    @Test
    void anEngineThatDiedRightAfterStartingTheRunFindsItAgainInsteadOfStartingASecondOne() throws Exception {
        tenants.put("t-400", "delta", "pending");
        Path starts = temp.resolve("starts");
        AnsibleRunnerConfig config = Fixtures.fixtureConfig(temp.resolve("runs"))
                .ansiblePlaybookCommand(Fixtures.countingAnsiblePlaybook(temp, starts).toString())
                .build();
        DiesAfterLaunch dying = new DiesAfterLaunch(runner(config));
        TenantProvisioner first = provisioner("node-a", dying, Duration.ofSeconds(2));
        ProvisioningJob requested = first.request(ProvisioningRequest.provision("t-400", DeploymentMode.DOTMAC_HOSTED));
        assertThat(dying.died.await(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        first.close();
        assertThat(first.job(requested.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);

        TenantProvisioner second = provisioner("node-b", runner(config), Duration.ofSeconds(2));

        ProvisioningJob done = awaitStatus(second, requested.id(), JobStatus.SUCCEEDED);
        assertThat(done.runId()).isEqualTo(requested.id());
        assertThat(second.events(done.id())).extracting(JobEvent::message)
                .contains("found run " + requested.id() + " started by an earlier launch attempt");
        assertThat(Fixtures.lines(starts)).as("ansible-playbook processes started for the job").hasSize(1);
    }

    /** Starts the run, then "dies" before the engine could record it: the JVM stopped right after the launch. */
    private static final class DiesAfterLaunch extends ForwardingAutomationRunner {
        private final CountDownLatch died = new CountDownLatch(1);

        DiesAfterLaunch(AutomationRunner delegate) {
            super(delegate);
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            super.launch(spec);
            died.countDown();
            throw new SimulatedCrash("the JVM stopped right after starting the run");
        }
    }

    @Test
    void cancellingAJobMidRunKillsTheRunsProcessGroupAndEndsItCancelled() throws IOException {
        tenants.put("t-300", "gamma", "pending");
        Path runs = temp.resolve("runs");
        TenantProvisioner provisioner = provisioner("node-a", runner(Fixtures.fixtureConfig(runs).build()));
        ProvisioningJob requested = provisioner.request(ProvisioningRequest.builder("t-300")
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .extraVar("fixture_outcome", "hang")
                .build());
        ProvisioningJob running = awaitStatus(provisioner, requested.id(), JobStatus.IN_PROGRESS);
        Path dir = runs.resolve(running.runId());
        long group = Fixtures.awaitProcessGroup(dir);
        Path events = dir.resolve(RunDirectory.EVENTS);
        await().atMost(JOB_TIMEOUT).until(() -> Files.isRegularFile(events)
                && Files.readString(events).contains("Hang until cancelled"));
        // the event is written as the task starts, a moment before its worker forks `sleep`: wait for that state
        await().atMost(JOB_TIMEOUT).untilAsserted(() -> assertThat(ProcessGroups.liveMembers(group))
                .as("wrapper, ansible-playbook, its worker, sleep").hasSizeGreaterThan(2));

        provisioner.cancel(requested.id(), "operator", "changed my mind");

        ProvisioningJob cancelled = awaitStatus(provisioner, requested.id(), JobStatus.CANCELLED);
        assertThat(cancelled.errorMessage()).contains("cancelled by operator");
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessGroups.liveMembers(group).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed_provisioning".equals(tenants.statusOf("t-300")));
        assertThat(dir.resolve(RunDirectory.EXTRA_VARS)).doesNotExist();
    }
}
