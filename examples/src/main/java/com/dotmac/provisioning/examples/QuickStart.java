package com.dotmac.provisioning.examples;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.ansible.AnsiblePlaybookRunner;
import com.dotmac.provisioning.ansible.AnsibleRunnerConfig;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The plain-Java quick start: builds a {@link TenantProvisioner}, provisions a demo tenant and prints the job's
 * timeline. When {@code ansible-playbook} is installed it runs the repository's real playbook locally (into a
 * temporary directory); otherwise the automation is <em>simulated</em> by a {@link ScriptedAutomationRunner}, and
 * it says so.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** The local runner over the repository's ansible/ project, when ansible-playbook is installed; else null. */
    private static @Nullable AutomationRunner localAnsibleRunner(PrintStream out) throws IOException {
        Path project = LocalAnsible.projectDirectory();
        if (project == null || !LocalAnsible.onPath("ansible-playbook") || !LocalAnsible.onPath("setsid")) {
            return null;
        }
        Path scratch = Files.createTempDirectory("quick-start");
        out.println("running the real playbook with ansible-playbook (project " + project + "); files go to "
                + scratch);
        return new AnsiblePlaybookRunner(AnsibleRunnerConfig.builder()
                .projectDirectory(project)
                .workspace(scratch.resolve("runs"))
                .fixedExtraVar("tenant_workspace_root", scratch.resolve("tenants").toString())
                .build());
    }

    /**
     * @param args ignored
     * @throws InterruptedException when interrupted while waiting for the job
     * @throws IOException when the scratch directory cannot be made
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        PrintStream out = System.out;
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("demo-tenant", "demo", "pending");
        AutomationRunner runner = localAnsibleRunner(out);
        if (runner == null) {
            out.println("NOTE: the automation is SIMULATED (ScriptedAutomationRunner): no playbook runs. Install");
            out.println("      ansible-core to run the real playbook locally, or configure an AwxAutomationRunner.");
            runner = new ScriptedAutomationRunner(Clock.systemUTC()).defaultScript(Script.succeedAfter(2)
                    .withArtifacts(Map.of("tenant_url", "https://demo.tenants.example.com")));
        }

        try (TenantProvisioner provisioner = TenantProvisioner.builder()
                .runner(runner)
                .tenantDirectory(tenants)
                .pollInterval(Duration.ofMillis(200))
                .sweepInterval(Duration.ofMillis(100))
                .build()) {
            provisioner.start();
            ProvisioningJob job = provisioner.request(ProvisioningRequest.builder("demo-tenant")
                    .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                    .requestedBy("quick-start")
                    .extraVar("region", "eu-west-1")
                    .build());
            out.println("requested job " + job.id() + "; tenant status: " + tenants.statusOf("demo-tenant"));

            Instant giveUp = Instant.now().plusSeconds(300);
            while (!provisioner.job(job.id()).orElseThrow().status().isTerminal() && Instant.now().isBefore(giveUp)) {
                Thread.sleep(100);
            }
            ProvisioningJob done = provisioner.job(job.id()).orElseThrow();
            out.println("job " + done.id() + " is " + done.status().wireName() + "; tenant status: "
                    + tenants.statusOf("demo-tenant") + "; artifacts: " + done.artifacts());
            out.println("timeline:");
            for (JobEvent event : provisioner.events(job.id())) {
                out.printf("  %s  %-22s %s%n", event.at(), event.type().wireName(), event.message());
            }
        }
    }
}
