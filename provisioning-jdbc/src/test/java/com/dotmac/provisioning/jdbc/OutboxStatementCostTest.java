package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.jdbc.support.CountingDataSource;
import com.dotmac.provisioning.jdbc.support.EmbeddedPostgresDatabases;
import com.dotmac.provisioning.jdbc.support.H2Databases;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.OutboxRecord;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the outbox costs a job's lifecycle (request to succeeded, tenant status applied), counted with a counting data
 * source over a real database, the outbox on and off: on PostgreSQL nothing (the outbox rows ride in the job write's
 * one statement), elsewhere one statement per status change (in the write's transaction). Delivering the three events
 * costs a claim (a read and a batch) and a delete per event.
 */
class OutboxStatementCostTest {
    private static final Duration POLL = Duration.ofSeconds(10);
    private static final int STATUS_CHANGES = 3; // queued (created), in_progress, succeeded

    enum Database {
        POSTGRESQL(EmbeddedPostgresDatabases::newSchema, 0),
        H2(() -> H2Databases.newDatabase(""), STATUS_CHANGES);

        final Supplier<TestDatabase> open;
        final int extraStatements;

        Database(Supplier<TestDatabase> open, int extraStatements) {
            this.open = open;
            this.extraStatements = extraStatements;
        }
    }

    /** Statements and commits of one lifecycle. */
    record Cost(long statements, long commits) {
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theOutboxCostsALifecycleOneStatementPerStatusChangeAtMostAndNoneOnPostgres(Database database) {
        try (TestDatabase db = database.open.get()) {
            new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
            CountingDataSource counting = new CountingDataSource(db.dataSource());
            JdbcJobRepository on = new JdbcJobRepository(counting, db.dialect()).withOutbox();

            Cost off = lifecycle(new JdbcJobRepository(counting, db.dialect()), counting, "tenant-off");
            assertThat(on.countUndeliveredEvents()).isZero();
            Cost with = lifecycle(on, counting, "tenant-on");
            assertThat(on.countUndeliveredEvents()).isEqualTo(STATUS_CHANGES);

            counting.reset();
            List<String> types = new ArrayList<>();
            Instant now = Instant.now();
            for (List<OutboxRecord> claimed = on.claimEvents("n", now, now.plusSeconds(20), 100); !claimed.isEmpty();
                    claimed = on.claimEvents("n", now, now.plusSeconds(20), 100)) {
                for (OutboxRecord r : claimed) {
                    types.add(r.event().type());
                    on.eventDelivered(r);
                }
            }
            long delivery = counting.statements();

            System.out.printf("outbox cost on %s: lifecycle statements off %d on %d, commits off %d on %d; "
                    + "delivering %d events: %d statements%n", database, off.statements(), with.statements(),
                    off.commits(), with.commits(), types.size(), delivery);
            assertThat(types).containsExactly("job.queued", "job.in_progress", "job.succeeded");
            assertThat(with.statements() - off.statements()).isEqualTo(database.extraStatements);
            assertThat(delivery).as("a claim (read + lease batch) and a delete per event, and the last empty read")
                    .isEqualTo(3L * STATUS_CHANGES + 1);
        }
    }

    private static Cost lifecycle(JdbcJobRepository repository, CountingDataSource counting, String tenant) {
        MutableClock clock = MutableClock.atFixedStart();
        ManualScheduler scheduler = new ManualScheduler();
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);
        runner.defaultScript(Script.succeedAfter(1));
        TenantProvisioner provisioner = TenantProvisioner.builder().repository(repository)
                .tenantDirectory(new InMemoryTenantDirectory().put(tenant, tenant, "pending")).runner(runner)
                .scheduler(scheduler).clock(clock).nodeId("node-" + tenant).pollInterval(POLL).jitter(() -> 0.5)
                .build();
        provisioner.start();
        counting.reset();
        ProvisioningJob job = provisioner.request(ProvisioningRequest.provision(tenant,
                DeploymentMode.DOTMAC_HOSTED));
        for (int round = 0; round < 10 && !done(repository, job.id()); round++) {
            scheduler.runPending();
            clock.advance(POLL);
            provisioner.sweepNow();
            scheduler.runPending();
        }
        assertThat(done(repository, job.id())).isTrue();
        Cost cost = new Cost(counting.statements(), counting.commits());
        provisioner.close();
        return cost;
    }

    private static boolean done(JdbcJobRepository repository, String jobId) {
        return repository.find(jobId).map(s -> s.job().status() == JobStatus.SUCCEEDED && s.tenantStatusApplied())
                .orElse(false);
    }
}
