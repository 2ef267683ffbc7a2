package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.jdbc.support.RolloutFixtures;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.StoredRollout;
import com.dotmac.provisioning.webhooks.WebhookDelivery;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statement timeout of {@link JdbcJobRepository} (and of {@link JdbcRolloutRepository} and
 * {@link JdbcWebhookDeliveryStore}): a statement that waits on a row another connection holds (a
 * host transaction, a stuck session) fails after the timeout with an exception naming what it was doing, instead of
 * holding the engine's thread and connection for as long as the lock lives; and the job it was about is followed to
 * its end once the lock is gone, with no second launch. Stepped deterministically (manual scheduler, movable clock);
 * the only real waits are the one-second timeouts themselves.
 */
abstract class StatementTimeoutContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofSeconds(60);
    /** A bound for a step that must not hang: far above the timeouts it may wait for, far below "forever". */
    private static final Duration NOT_STUCK = Duration.ofSeconds(30);

    private TestDatabase db;
    private final MutableClock clock = MutableClock.atFixedStart();
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);
    private @Nullable Connection holder;

    /** @return an empty database */
    protected abstract TestDatabase open();

    /**
     * @param database the test's database
     * @return the engine's pool over it
     */
    protected DataSource enginePool(TestDatabase database) {
        return database.newPool();
    }

    /** @return what the message of a statement that waited on a row lock too long says about the timeout */
    protected String timedOutMessage() {
        return "within the statement timeout of 1 s";
    }

    @BeforeEach
    void openDatabase() {
        db = open();
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        db.execute("CREATE TABLE host_tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))",
                "INSERT INTO host_tenants (id, slug, status) VALUES ('acme', 'acme', 'pending')");
        runner.defaultScript(Script.succeedAfter(1));
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        releaseLock();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aWriteBlockedByAnotherConnectionsRowLockFailsAfterTheTimeoutNamingWhatItDid() {
        TenantProvisioner node = node(runner);
        ProvisioningJob job = node.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED));
        JdbcJobRepository repository = repository();
        StoredJob stored = repository.find(job.id()).orElseThrow();
        lockJobRow(job.id());

        assertTimeoutPreemptively(NOT_STUCK, () -> assertThatThrownBy(() -> repository.commit(stored, List.of()))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageContaining("write provisioning job " + job.id())
                .hasMessageContaining(timedOutMessage()));
    }

    @Test
    void aRolloutWriteBlockedByAnotherConnectionsRowLockFailsAfterTheTimeoutNamingWhatItDid() {
        JdbcRolloutRepository rollouts = new JdbcRolloutRepository(enginePool(db), db.dialect(), TIMEOUT);
        StoredRollout stored = rollouts.create(RolloutFixtures.rollout("r-locked", clock.instant()),
                RolloutFixtures.members("r-locked", 2), List.of());
        lockRow("tenant_provisioning_rollouts", "r-locked");

        assertTimeoutPreemptively(NOT_STUCK, () -> assertThatThrownBy(() -> rollouts.commit(stored, List.of()))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageContaining("write rollout r-locked")
                .hasMessageContaining(timedOutMessage()));
    }

    @Test
    void aWebhookDeliveryWriteBlockedByAnotherConnectionsRowLockFailsAfterTheTimeoutNamingWhatItDid() {
        JdbcWebhookDeliveryStore deliveries = new JdbcWebhookDeliveryStore(enginePool(db), db.dialect(), TIMEOUT);
        deliveries.enqueue(new ProvisioningEvent("e-locked", "job.queued", "acme", "j-1", null, clock.instant(),
                Map.of()), List.of("billing"), clock.instant());
        WebhookDelivery claimed = deliveries.claimDue("node-a", clock.instant(), clock.instant().plus(LEASE), 1)
                .get(0);
        lockRow("tenant_provisioning_webhook_delivery", claimed.id());

        assertTimeoutPreemptively(NOT_STUCK, () -> assertThatThrownBy(() -> deliveries.delivered(claimed))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageContaining("delete delivered webhook delivery " + claimed.id())
                .hasMessageContaining(timedOutMessage()));
    }

    @Test
    void aJobWhoseRowIsLockedWhileItsRunStartsIsFollowedToItsEndOnceTheLockIsGone() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        AutomationRunner locking = new ForwardingAutomationRunner(runner) {
            @Override
            public LaunchedRun launch(LaunchSpec spec) {
                LaunchedRun run = super.launch(spec);
                lockJobRow(spec.job().id());
                return run;
            }
        };
        TenantProvisioner node = node(locking, scheduler);
        ProvisioningJob job = node.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED));

        // the write after the launch waits on the lock: the step gives up after the timeout instead of hanging
        assertTimeoutPreemptively(NOT_STUCK, scheduler::runPending);
        assertThat(runner.runsFor(job.id())).isEqualTo(1);

        releaseLock();
        for (int round = 0; round < 30 && !node.job(job.id()).orElseThrow().status().isTerminal(); round++) {
            clock.advance(POLL);
            node.sweepNow();
            scheduler.runPending();
        }
        ProvisioningJob done = node.job(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(runner.runsFor(job.id())).as("the run started under the lock is followed, not launched again")
                .isEqualTo(1);
        assertThat(JdbcTenantDirectory.builder(db.dataSource()).table("host_tenants").build().find("acme")
                .orElseThrow().status()).isEqualTo(TenantStatus.PROVISIONED);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private JdbcJobRepository repository() {
        return new JdbcJobRepository(enginePool(db), db.dialect(), TIMEOUT);
    }

    private TenantProvisioner node(AutomationRunner automation) {
        return node(automation, new ManualScheduler());
    }

    private TenantProvisioner node(AutomationRunner automation, ManualScheduler scheduler) {
        TenantProvisioner provisioner = TenantProvisioner.builder()
                // the database's time is the test's clock, which the engine aligns to
                .repository(new ClockedJobRepository(repository(), clock))
                .tenantDirectory(JdbcTenantDirectory.builder(db.dataSource()).table("host_tenants").build())
                .runner(automation)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId("node-a")
                .pollInterval(POLL)
                .leaseDuration(LEASE)
                .retryDelays(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .jitter(() -> 0.5)
                .build();
        provisioner.start();
        return provisioner;
    }

    /** Another connection locks the job's row in a transaction it keeps open, as a host's long transaction would. */
    private void lockJobRow(String jobId) {
        lockRow("tenant_provisioning_jobs", jobId);
    }

    /** Another connection locks a row of the table (by id) in a transaction it keeps open. */
    private void lockRow(String table, String id) {
        try {
            Connection c = db.newPool().getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("the row").isTrue();
                }
            }
            holder = c;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void releaseLock() throws SQLException {
        Connection c = holder;
        holder = null;
        if (c != null) {
            c.rollback();
            c.close();
        }
    }
}
