package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;

/** Steps a provisioner on a hand-moved clock and a manual scheduler until a job has ended. */
final class EngineSteps {
    private EngineSteps() {
    }

    /**
     * @return the job once it is terminal and its tenant status applied
     * @throws AssertionError when it is not after 100 poll intervals
     */
    static ProvisioningJob runToEnd(TenantProvisioner provisioner, InMemoryJobRepository repository,
            ManualScheduler scheduler, MutableClock clock, Duration poll, String jobId) {
        scheduler.runPending();
        for (int i = 0; i < 100; i++) {
            StoredJob stored = repository.find(jobId).orElseThrow();
            if (stored.job().status().isTerminal() && stored.tenantStatusApplied()) {
                return stored.job();
            }
            clock.advance(poll);
            provisioner.sweepNow();
            scheduler.runPending();
        }
        throw new AssertionError("job " + jobId + " did not finish: " + repository.find(jobId).orElseThrow());
    }
}
