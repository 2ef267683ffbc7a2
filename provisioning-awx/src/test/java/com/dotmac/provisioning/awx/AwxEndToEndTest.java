package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.memory.InMemoryCredentialPolicy;
import com.dotmac.provisioning.spi.TenantCredential;
import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine ({@link TenantProvisioner} on a hand-moved clock and a manual scheduler) with the AWX runner against the
 * fake AWX: provisioning from request to tenant status.
 */
class AwxEndToEndTest extends FakeAwxTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final String TENANT = "t-100";
    private static final String LAUNCH = "job_templates/\\d+/launch/";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final InMemoryJobRepository repository = new InMemoryJobRepository();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put(TENANT, "acme", "pending");
    private TenantProvisioner provisioner;

    @BeforeEach
    void startProvisioner() {
        fake.clock(clock);
        provisioner = TenantProvisioner.builder().repository(repository).runner(runner()).tenantDirectory(tenants)
                .scheduler(scheduler).clock(clock).nodeId("node-1").pollInterval(POLL)
                .retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(2)).jitter(() -> 0.999)
                .credentialPolicy(new InMemoryCredentialPolicy().register(TenantCredential.of(TENANT, "17")))
                .build();
        provisioner.start();
    }

    @AfterEach
    void stopProvisioner() {
        provisioner.close();
    }

    private ProvisioningJob runToEnd(String jobId) {
        return EngineSteps.runToEnd(provisioner, repository, scheduler, clock, POLL, jobId);
    }

    private ProvisioningJob provision(DeploymentMode mode, ConnectionProfile profile) {
        return provisioner.request(ProvisioningRequest.builder(TENANT).deploymentMode(mode)
                .connectionProfile(profile).extraVar("plan", "business").build());
    }

    @Test
    void aSuccessfulRunProvisionsTheTenantWithItsArtifacts() {
        fake.defaultScript(RunScript.succeedAfter(3).withArtifacts(Map.of("tenant_url", "https://acme.example.com")));

        ProvisioningJob end = runToEnd(provision(DeploymentMode.DOTMAC_HOSTED, null).id());

        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(end.artifacts()).containsEntry("tenant_url", "https://acme.example.com");
        assertThat(end.templateId()).isEqualTo(FakeAwx.PROVISION_TEMPLATE);
        assertThat(tenants.statusOf(TENANT)).isEqualTo(TenantStatus.PROVISIONED);
        LaunchRecord launch = fake.launches().get(0);
        assertThat(fake.launches()).hasSize(1);
        assertThat(end.runId()).isEqualTo(String.valueOf(launch.jobId()));
        assertThat(launch.extraVars()).containsEntry(PlaybookVariables.PROVISIONING_JOB_ID, end.id())
                .containsEntry(PlaybookVariables.TENANT_SLUG, "acme").containsEntry("plan", "business");
    }

    @Test
    void aFailedRunFailsTheJobNamingTheTaskAndHost() {
        fake.defaultScript(RunScript.failAfter(2, "Render compose file", "dc1-control-01",
                "AnsibleUndefinedVariable: 'tenant_db_password' is undefined"));

        ProvisioningJob end = runToEnd(provision(DeploymentMode.DOTMAC_HOSTED, null).id());

        assertThat(end.status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.errorCode()).isEqualTo(ErrorCodes.RUN_FAILED);
        assertThat(end.errorMessage()).isEqualTo("task 'Render compose file' failed on host dc1-control-01:"
                + " AnsibleUndefinedVariable: 'tenant_db_password' is undefined");
        assertThat(tenants.statusOf(TENANT)).isEqualTo(TenantStatus.FAILED_PROVISIONING);
    }

    @Test
    void aCustomerHostedTenantGetsItsInventoryAndCredential() {
        ConnectionProfile profile = new ConnectionProfile("203.0.113.10", 22, "deploy", "17",
                new ConnectionProfile.Bastion("bastion.example.net", 2200, "jump"));

        ProvisioningJob end = runToEnd(provision(DeploymentMode.CUSTOMER_HOSTED, profile).id());

        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        long inventory = fake.inventoryId("tenant-acme").orElseThrow();
        LaunchRecord launch = fake.launches().get(0);
        assertThat(launch.inventory()).isEqualTo(inventory);
        assertThat(launch.credentials()).containsExactly(17L);
        assertThat(launch.extraVars()).containsEntry(PlaybookVariables.CONNECTION_PROFILE, Map.of(
                "host", "203.0.113.10", "port", 22, "user", "deploy", "credential_ref", "17",
                "bastion", Map.of("host", "bastion.example.net", "port", 2200, "user", "jump")));
        assertThat(fake.hostVariables(inventory).get("acme")).containsEntry("ansible_host", "203.0.113.10")
                .containsEntry("ansible_ssh_common_args", "-o ProxyJump=jump@bastion.example.net:2200");
        assertThat(tenants.statusOf(TENANT)).isEqualTo(TenantStatus.PROVISIONED);
    }

    @Test
    void aTemplateThatDropsTheVariablesFailsTheJobAtOnce() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false);

        ProvisioningJob end = runToEnd(provision(DeploymentMode.DOTMAC_HOSTED, null).id());

        assertThat(end.status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.errorCode()).isEqualTo(AwxErrorCodes.IGNORED_FIELDS);
        assertThat(end.errorMessage()).contains("ask_variables_on_launch").contains("job template 14");
        assertThat(fake.calls("POST", LAUNCH)).hasSize(1);
        assertThat(tenants.statusOf(TENANT)).isEqualTo(TenantStatus.FAILED_PROVISIONING);
    }

    @Test
    void aLaunchWhoseAnswerWasLostIsFoundAgainAndNotLaunchedTwice() {
        fake.failNext(1, Fault.readTimeout().afterProcessing(), "POST", LAUNCH);

        String jobId = provision(DeploymentMode.DOTMAC_HOSTED, null).id();
        ProvisioningJob end = runToEnd(jobId);

        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(fake.calls("POST", LAUNCH)).hasSize(1);
        assertThat(end.runId()).isEqualTo(String.valueOf(fake.launches().get(0).jobId()));
        assertThat(provisioner.events(jobId)).extracting(JobEvent::message)
                .anySatisfy(m -> assertThat(m).contains("started by an earlier launch attempt"));
    }

    @Test
    void anAwxOutageDuringPollingDelaysButDoesNotBreakTheJob() {
        fake.defaultScript(RunScript.succeedAfter(1));
        String jobId = provision(DeploymentMode.DOTMAC_HOSTED, null).id();
        scheduler.runPending();
        fake.failNext(9, Fault.status(502), "GET", "jobs/");

        ProvisioningJob end = runToEnd(jobId);

        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(fake.calls("GET", "jobs/")).filteredOn(c -> c.fault() != null).hasSize(9);
    }

    @Test
    void aCancelledJobStopsTheAwxJob() {
        fake.defaultScript(RunScript.hang());
        String jobId = provision(DeploymentMode.DOTMAC_HOSTED, null).id();
        scheduler.runPending();

        provisioner.cancel(jobId, "operator", "wrong plan");
        ProvisioningJob end = runToEnd(jobId);

        assertThat(end.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(fake.job(Long.parseLong(end.runId())).orElseThrow().status()).isEqualTo("canceled");
        assertThat(fake.calls("POST", "jobs/\\d+/cancel/")).hasSize(1);
    }
}
