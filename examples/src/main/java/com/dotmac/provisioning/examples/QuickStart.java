package com.dotmac.provisioning.examples;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The plain-Java quick start: builds a {@link TenantProvisioner}, provisions a demo tenant and prints the job's
 * timeline. The automation is <em>simulated</em> by a {@link ScriptedAutomationRunner} until a real runner (AWX or
 * local Ansible) is configured.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * @param args ignored
     * @throws InterruptedException when interrupted while waiting for the job
     */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        out.println("NOTE: the automation is simulated (ScriptedAutomationRunner): no playbook runs until you");
        out.println("      configure a real runner (AwxAutomationRunner, or the local Ansible runner).");

        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory().put("demo-tenant", "demo", "pending");
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC())
                .defaultScript(Script.succeedAfter(2)
                        .withArtifacts(Map.of("tenant_url", "https://demo.tenants.example.com")));

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

            Instant giveUp = Instant.now().plusSeconds(30);
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
