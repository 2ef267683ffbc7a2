package com.dotmac.provisioning;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A provisioner on a hand-moved clock and a manual scheduler, with a scripted runner and in-memory stores, so
 * tests step the engine deterministically.
 */
final class EngineHarness {
    static final Duration POLL = Duration.ofSeconds(15);
    static final Duration TIMEOUT = Duration.ofMinutes(30);
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);

    final MutableClock clock = MutableClock.atFixedStart();
    final ManualScheduler scheduler = new ManualScheduler();
    final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);
    final InMemoryJobRepository repository;
    final InMemoryTenantDirectory tenants;
    final List<JobEvent> heard = new ArrayList<>();
    final TenantProvisioner provisioner;

    EngineHarness() {
        this(b -> { });
    }

    EngineHarness(Consumer<TenantProvisioner.Builder> customise) {
        this(new InMemoryJobRepository(), new InMemoryTenantDirectory(), "node-1", customise);
    }

    EngineHarness(InMemoryJobRepository repository, InMemoryTenantDirectory tenants, String nodeId,
            Consumer<TenantProvisioner.Builder> customise) {
        this.repository = repository;
        this.tenants = tenants;
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(repository)
                .runner(runner)
                .tenantDirectory(tenants)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId(nodeId)
                .pollInterval(POLL)
                .jobTimeout(TIMEOUT)
                .retryDelays(Duration.ofSeconds(10), Duration.ofMinutes(2))
                .cancelGrace(Duration.ofMinutes(5))
                .jitter(() -> 0.999)
                .callback(new CallbackSettings(
                        "https://platform.example.com/api/v1/tenants/{tenant_id}/provisioning/jobs/{job_id}/callback",
                        SECRET))
                // the cadence these tests' poll loops were written for (CallbackSafetyPollTest covers the default)
                .callbackSafetyPollEvery(4)
                .listener((job, event) -> {
                    synchronized (heard) {
                        heard.add(event);
                    }
                });
        customise.accept(builder);
        this.provisioner = builder.build();
        this.provisioner.start();
    }

    EngineHarness tenant(String id, String status) {
        tenants.put(id, id, status);
        return this;
    }

    /** Runs queued work, then one sweep and its work. */
    void step() {
        scheduler.runPending();
        provisioner.sweepNow();
        scheduler.runPending();
    }

    /** Advances the clock and steps. */
    void advance(Duration d) {
        clock.advance(d);
        step();
    }

    /** Steps poll interval by poll interval until the job is terminal and its tenant status applied. */
    ProvisioningJob runToEnd(String jobId) {
        step();
        for (int i = 0; i < 200; i++) {
            StoredJob s = repository.find(jobId).orElseThrow();
            if (s.job().status().isTerminal() && s.tenantStatusApplied()) {
                return s.job();
            }
            advance(POLL);
        }
        throw new AssertionError("job " + jobId + " did not finish: " + repository.find(jobId).orElseThrow());
    }

    /** Steps poll interval by poll interval until the job has the status. */
    ProvisioningJob runToStatus(String jobId, JobStatus status) {
        step();
        for (int i = 0; i < 200; i++) {
            if (job(jobId).status() == status) {
                return job(jobId);
            }
            advance(POLL);
        }
        throw new AssertionError("job " + jobId + " never became " + status + ": " + job(jobId));
    }

    ProvisioningJob job(String jobId) {
        return provisioner.job(jobId).orElseThrow();
    }

    StoredJob stored(String jobId) {
        return repository.find(jobId).orElseThrow();
    }

    String tenantStatus(String tenantId) {
        return tenants.statusOf(tenantId);
    }

    JobRepository repo() {
        return repository;
    }

    TenantDirectory directory() {
        return tenants;
    }
}
