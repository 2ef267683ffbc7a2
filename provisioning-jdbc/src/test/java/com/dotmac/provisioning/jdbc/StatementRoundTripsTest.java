package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.jdbc.support.CountingDataSource;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.StaleJobException;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot paths cost a fixed, small number of statements however many jobs they touch (counted with a counting
 * data source over a real database): rescheduling 250 jobs is one statement, claiming them is one on PostgreSQL, and
 * a job with its events is one statement on PostgreSQL.
 */
class StatementRoundTripsTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    enum Database {
        /** Claims in one UPDATE ... RETURNING; writes a job and its events in one statement, no transaction. */
        POSTGRESQL(EmbeddedPostgresDatabases::newSchema, 1, 1, 0),
        /** Claims with a read and one batch; writes the job, then the events as one batch, in a transaction. */
        H2(() -> H2Databases.newDatabase(""), 2, 2, 1);

        final Supplier<TestDatabase> open;
        final int claimStatements;
        final int commitStatements;
        final int commits;

        Database(Supplier<TestDatabase> open, int claimStatements, int commitStatements, int commits) {
            this.open = open;
            this.claimStatements = claimStatements;
            this.commitStatements = commitStatements;
            this.commits = commits;
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void claimingAndReschedulingManyJobsTakeOneOrTwoStatements(Database database) {
        try (TestDatabase db = database.open.get()) {
            CountingDataSource counting = counted(db);
            JdbcJobRepository repository = new JdbcJobRepository(counting, db.dialect());
            for (int i = 0; i < 250; i++) {
                repository.create(StoredJob.newJob(job("tenant-" + i), T0), List.of());
            }

            counting.reset();
            List<StoredJob> claimed = repository.claimDue("node", T0, T0.plusSeconds(60), 500);
            long claimStatements = counting.statements();
            counting.reset();
            int written = repository.reschedule(claimed, T0.plusSeconds(30));

            assertThat(claimed).hasSize(250);
            assertThat(claimStatements).isEqualTo(database.claimStatements);
            assertThat(written).isEqualTo(250);
            assertThat(counting.statements()).isEqualTo(1);
            assertThat(counting.connections()).isEqualTo(1);
            assertThat(repository.claimDue("node", T0.plusSeconds(29), T0.plusSeconds(90), 500)).isEmpty();
            assertThat(repository.claimDue("node", T0.plusSeconds(30), T0.plusSeconds(90), 500)).hasSize(250);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aJobAndItsEventsAreWrittenAtomicallyInAsFewStatementsAsTheDialectAllows(Database database) {
        try (TestDatabase db = database.open.get()) {
            CountingDataSource counting = counted(db);
            JdbcJobRepository repository = new JdbcJobRepository(counting, db.dialect());
            StoredJob s = repository.create(StoredJob.newJob(job("t"), T0), List.of());
            List<JobEvent> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.add(JobEvent.of(s.id(), T0, JobEventType.LAUNCH_PENDING, "e" + i, Map.of()));
            }

            counting.reset();
            repository.commit(s.withTenantStatusApplied(true), events);

            assertThat(counting.statements()).isEqualTo(database.commitStatements);
            assertThat(counting.commits()).isEqualTo(database.commits);
            assertThat(repository.events(s.id())).extracting(JobEvent::message).containsExactly("e0", "e1", "e2");

            assertThatThrownBy(() -> repository.commit(s.withTenantStatusApplied(false), events))
                    .isInstanceOf(StaleJobException.class);
            assertThat(repository.events(s.id())).as("a stale write stores no events").hasSize(3);
        }
    }

    /** A rollout reads its started members' jobs every sweep: one statement per 500 ids, not one per job. */
    @ParameterizedTest
    @EnumSource(Database.class)
    void findAllReadsSixHundredJobsInTwoStatements(Database database) {
        try (TestDatabase db = database.open.get()) {
            CountingDataSource counting = counted(db);
            JdbcJobRepository repository = new JdbcJobRepository(counting, db.dialect());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                ids.add(repository.create(StoredJob.newJob(job("tenant-" + i), T0), List.of()).id());
            }

            counting.reset();
            List<StoredJob> found = repository.findAll(ids);

            assertThat(found).extracting(StoredJob::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(counting.statements()).isEqualTo(2);
            assertThat(counting.connections()).isEqualTo(1);
        }
    }

    private static CountingDataSource counted(TestDatabase db) {
        new JdbcSchemaInitializer(db.dataSource()).initialize();
        return new CountingDataSource(db.dataSource());
    }

    private static ProvisioningJob job(String tenant) {
        return ProvisioningJob.builder(UUID.randomUUID().toString()).tenantId(tenant).tenantSlug("s")
                .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED).status(JobStatus.QUEUED)
                .requestedBy("test").createdAt(T0).updatedAt(T0).build();
    }
}
