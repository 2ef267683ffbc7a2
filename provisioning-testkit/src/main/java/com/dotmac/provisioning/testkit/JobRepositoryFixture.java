package com.dotmac.provisioning.testkit;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The repository under test and the fixtures that {@link JobRepositoryContract}'s parts share. A host extends
 * {@link JobRepositoryContract}, not this class.
 *
 * <p>Not thread-safe: JUnit makes one instance per test and calls it from one thread.
 */
public abstract class JobRepositoryFixture {
    /** A fixed start time for every test. */
    protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");

    /** The repository under test, fresh for every test. */
    protected JobRepository repository;

    /**
     * @return a repository over an empty store
     * @throws Exception when it cannot be set up
     */
    protected abstract JobRepository createRepository() throws Exception;

    /** @throws Exception when the repository cannot be set up */
    @BeforeEach
    protected void setUpRepository() throws Exception {
        repository = createRepository();
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    /**
     * @param tenantId the tenant
     * @return a queued provision job created at {@link #T0}, due at once
     */
    protected static StoredJob queued(String tenantId) {
        return StoredJob.newJob(job(tenantId).build(), T0);
    }

    /**
     * @param tenantId the tenant
     * @return a builder for a plain queued job
     */
    protected static ProvisioningJob.Builder job(String tenantId) {
        return ProvisioningJob.builder(UUID.randomUUID().toString())
                .tenantId(tenantId)
                .tenantSlug("acme")
                .operation(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .status(JobStatus.QUEUED)
                .requestedBy("alice")
                .createdAt(T0)
                .updatedAt(T0);
    }

    /**
     * @param s a job
     * @return its {@code created} event
     */
    protected static JobEvent created(StoredJob s) {
        return new JobEvent(s.id(), T0, JobEventType.CREATED, null, JobStatus.QUEUED, "provision requested",
                Map.of("requested_by", "alice"));
    }

    /**
     * @param s a new job
     * @return it as stored, with its {@code created} event
     */
    protected StoredJob create(StoredJob s) {
        return repository.create(s, List.of(created(s)));
    }

    /**
     * @param s a stored job
     * @param status the terminal status it ends with
     * @return it as stored
     */
    protected StoredJob finish(StoredJob s, JobStatus status) {
        return repository.commit(s.withJob(s.job().toBuilder().status(status).finishedAt(T0.plusSeconds(60)).build())
                .withNextCheckAt(null), List.of());
    }
}
