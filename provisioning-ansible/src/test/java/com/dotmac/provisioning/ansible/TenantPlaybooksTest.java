package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ansible.internal.AnsibleJson;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.RunState;
import com.dotmac.provisioning.spi.RunStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's own playbooks ({@code ansible/}), run by the runner on localhost (local connection) in a
 * temporary tenants root, with {@code tenant_stack_start} left false: what they write, report and refuse.
 */
@RequiresAnsible
class TenantPlaybooksTest {
    @TempDir
    Path temp;

    private AnsiblePlaybookRunner runner;

    private AnsiblePlaybookRunner runner() {
        if (runner == null) {
            runner = new AnsiblePlaybookRunner(Fixtures.contentConfig(temp.resolve("runs"), tenants())
                    .defaultExtraVar("tenant_customer_connect_timeout", 3)
                    .customerCredentials(ref -> ref.equals("key-7") ? Optional.of(temp.resolve("key-7"))
                            : Optional.empty())
                    .build());
        }
        return runner;
    }

    private Path tenants() {
        return temp.resolve("tenants");
    }

    @AfterEach
    void stopWhatStillRuns() throws IOException {
        if (runner != null) {
            Fixtures.stopAll(runner);
        }
    }

    private static LaunchSpec acme(Operation operation, @Nullable String release) {
        return Fixtures.spec("t-100", "acme", operation, DeploymentMode.DOTMAC_HOSTED, Map.of(), null, release);
    }

    private AnsibleRunReport run(LaunchSpec spec) {
        Operation operation = spec.job().operation();
        String runId = runner().launch(spec).runId();
        Fixtures.awaitEnd(runner(), runId);
        AnsibleRunReport report = runner().report(runId).orElseThrow();
        assertThat(report.status().state()).as("%s: %s", operation, report.status().detail())
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(report.exitCode()).isZero();
        return report;
    }

    @Test
    void provisionRerunUpgradeAndDecommissionATenant() throws IOException {
        Path workspace = tenants().resolve("acme");

        LaunchSpec provisionSpec = acme(Operation.PROVISION, null);
        AnsibleRunReport provision = run(provisionSpec);
        assertThat(provision.status().artifacts())
                .containsEntry("tenant_url", "https://acme.tenants.test")
                .containsEntry("tenant_admin_url", "https://acme.tenants.test/admin/")
                .containsEntry("release_version", "latest")
                .containsEntry("operation", "provision")
                .containsEntry("deployment_mode", "dotmac_hosted");
        assertThat(provision.hosts()).containsKey("localhost");
        assertThat(provision.totalChanged()).isPositive();
        Map<String, Object> metadata = AnsibleJson.readObject(Files.readString(workspace.resolve("tenant.json")));
        assertThat(metadata).containsEntry("tenant_id", "t-100").containsEntry("tenant_slug", "acme")
                .containsEntry("deployment_mode", "dotmac_hosted").containsEntry("release_version", "latest")
                .containsEntry("last_provisioning_job_id", provision.runId());
        assertThat(Files.readString(workspace.resolve("docker-compose.yml")))
                .contains("name: \"tenant-acme\"", "TENANT_ID: \"t-100\"", "PUBLIC_URL: \"https://acme.tenants.test\"",
                        "image: \"dotmac/isp-platform:latest\"");
        assertThat(Files.readString(workspace.resolve("proxy/acme.conf"))).contains("server_name acme.tenants.test;");
        String secrets = Files.readString(workspace.resolve("secrets.env"));

        // the same variables again (as a re-run of that job's playbook): every file is already as it should be;
        // a new job differs only in the job id it records in tenant.json and the summary
        LaunchSpec rerun = new LaunchSpec(acme(Operation.PROVISION, null).job(), provisionSpec.extraVars(),
                provisionSpec.launchPendingSince());
        AnsibleRunReport again = run(rerun);
        assertThat(again.hosts()).containsKey("localhost");
        assertThat(again.totalChanged()).as("changed tasks of a second identical run").isZero();
        assertThat(Files.readString(workspace.resolve("secrets.env"))).isEqualTo(secrets);

        AnsibleRunReport upgrade = run(acme(Operation.UPGRADE, "2.1.0"));
        assertThat(upgrade.status().artifacts()).containsEntry("release_version", "2.1.0")
                .containsEntry("operation", "upgrade");
        assertThat(AnsibleJson.readObject(Files.readString(workspace.resolve("tenant.json"))))
                .containsEntry("release_version", "2.1.0").containsEntry("last_operation", "upgrade")
                .containsEntry("last_provisioning_job_id", upgrade.runId());
        assertThat(Files.readString(workspace.resolve("docker-compose.yml")))
                .contains("image: \"dotmac/isp-platform:2.1.0\"");

        AnsibleRunReport decommission = run(acme(Operation.DECOMMISSION, null));
        assertThat(decommission.status().artifacts()).containsEntry("operation", "decommission")
                .doesNotContainKey("tenant_url");
        // the database volume stays (tenant_stack_purge_data is false), so its password stays with it
        try (var left = Files.list(workspace)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secrets.env",
                    "tenant.json");
        }
        assertThat(Files.readString(workspace.resolve("secrets.env"))).isEqualTo(secrets);
        assertThat(AnsibleJson.readObject(Files.readString(workspace.resolve("tenant.json"))))
                .containsEntry("state", "decommissioned").containsEntry("data_kept", true);
    }

    @Test
    void upgradingATenantThatWasNeverProvisionedFailsNamingTheTaskAndHost() {
        LaunchSpec spec = Fixtures.spec("t-900", "nobody", Operation.UPGRADE, DeploymentMode.DOTMAC_HOSTED, Map.of(),
                null, "2.1.0");

        RunStatus end = Fixtures.awaitEnd(runner(), runner().launch(spec).runId());

        assertThat(end.state()).isEqualTo(RunState.FAILED);
        assertThat(end.detail()).startsWith(
                "task 'Refuse to upgrade a tenant that was never provisioned here or was decommissioned' failed on host"
                        + " localhost: ")
                .contains("tenant nobody was not provisioned on localhost");
        assertThat(tenants().resolve("nobody")).doesNotExist();
    }

    @Test
    void aCustomerHostedRunGoesToTheHostOfTheRenderedInventory() throws IOException {
        Files.createFile(temp.resolve("key-7"));
        // a port bound by this test and never listened on: nothing else can take it while the run tries it, and
        // a connection to it is refused (a port closed after use could be taken by another process meanwhile)
        RunStatus end;
        String runId;
        try (Socket reserved = new Socket()) {
            reserved.bind(new InetSocketAddress("127.0.0.1", 0));
            int closedPort = reserved.getLocalPort();
            LaunchSpec spec = Fixtures.spec("t-300", "gamma", Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED,
                    Map.of(), new ConnectionProfile("127.0.0.1", closedPort, "deploy",
                            "key-7"), null);

            runId = runner().launch(spec).runId();
            end = Fixtures.awaitEnd(runner(), runId);
        }

        assertThat(end.state()).isEqualTo(RunState.FAILED);
        assertThat(end.detail()).startsWith("task 'Wait for the customer's server' failed on host gamma: ");
        assertThat(temp.resolve("runs").resolve(runId).resolve("inventory.yml")).doesNotExist();
        assertThat(tenants().resolve("gamma")).doesNotExist();
    }
}
