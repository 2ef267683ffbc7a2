package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 13: with retention on, the engine's scheduled purge deletes a job that finished longer ago than the
 * retention with its events, and keeps a recent one; with the default (off) nothing is deleted.
 */
class RetentionTest {

    private static ProvisioningRequest provision(String tenant) {
        return ProvisioningRequest.builder(tenant).deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("alice")
                .build();
    }

    /** @return the ids of a job finished 31 days before now and of one finished just now */
    private static String[] oldAndRecentJobs(EngineHarness h) {
        h.tenant("old", "pending").tenant("recent", "pending");
        ProvisioningJob old = h.provisioner.request(provision("old"));
        assertThat(h.runToEnd(old.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        h.advance(Duration.ofDays(31));
        ProvisioningJob recent = h.provisioner.request(provision("recent"));
        assertThat(h.runToEnd(recent.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        return new String[] {old.id(), recent.id()};
    }

    @Test
    void withRetentionOnAJobFinished31DaysAgoIsPurgedWithItsEventsAndARecentOneStays() {
        EngineHarness h = new EngineHarness(b -> b.retention(Duration.ofDays(30)));
        String[] jobs = oldAndRecentJobs(h);
        assertThat(h.provisioner.events(jobs[0])).isNotEmpty();

        h.scheduler.runPeriodic();

        assertThat(h.provisioner.job(jobs[0])).isEmpty();
        assertThat(h.repository.events(jobs[0])).isEmpty();
        assertThat(h.provisioner.job(jobs[1])).isPresent();
        assertThat(h.provisioner.events(jobs[1])).isNotEmpty();
        assertThat(h.tenantStatus("old")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(h.provisioner.settings().retention().finishedJobsKeptFor()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void byDefaultNothingIsPurged() {
        EngineHarness h = new EngineHarness();
        String[] jobs = oldAndRecentJobs(h);

        h.scheduler.runPeriodic();
        h.advance(Duration.ofDays(365));
        h.scheduler.runPeriodic();

        assertThat(h.provisioner.job(jobs[0])).isPresent();
        assertThat(h.provisioner.events(jobs[0])).isNotEmpty();
        assertThat(h.provisioner.job(jobs[1])).isPresent();
        assertThat(h.provisioner.settings().retention().isOn()).isFalse();
        assertThat(h.provisioner.settings().retention()).isEqualTo(EngineSettings.DEFAULT_RETENTION);
    }
}
