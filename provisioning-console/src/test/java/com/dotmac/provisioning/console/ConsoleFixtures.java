package com.dotmac.provisioning.console;

import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import java.time.Duration;

/** Jobs in a known state, made through the library's API with the scripted runner. */
record ConsoleFixtures(TenantProvisioner provisioner, ScriptedAutomationRunner runner,
        InMemoryTenantDirectory tenants) {

    /** @return a job of a new tenant whose run failed in a known task, host and message */
    ProvisioningJob failedJob(String tenantId) {
        runner.script(tenantId, Script.failAfter(1, "Install packages", "web-1", "apt failed: no space left on device"));
        return settle(provision(tenantId), JobStatus.FAILED);
    }

    /** @return a job of a new tenant whose run is in progress and stays so until cancelled */
    ProvisioningJob runningJob(String tenantId) {
        runner.script(tenantId, Script.hang());
        return settle(provision(tenantId), JobStatus.IN_PROGRESS);
    }

    /** @return a job of a new tenant that succeeded */
    ProvisioningJob succeededJob(String tenantId) {
        runner.script(tenantId, Script.succeedAfter(1));
        return settle(provision(tenantId), JobStatus.SUCCEEDED);
    }

    ProvisioningJob provision(String tenantId) {
        tenants.put(tenantId, tenantId, "new");
        return provisioner.request(ProvisioningRequest.provision(tenantId, DeploymentMode.DOTMAC_HOSTED));
    }

    ProvisioningJob settle(ProvisioningJob job, JobStatus status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> provisioner.job(job.id()).orElseThrow().status() == status);
        return provisioner.job(job.id()).orElseThrow();
    }
}
