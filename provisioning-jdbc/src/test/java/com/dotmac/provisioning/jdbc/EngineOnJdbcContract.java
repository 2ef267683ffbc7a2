package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.Submission;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import com.dotmac.provisioning.testkit.RequestRace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on a real database: {@link JdbcJobRepository} for jobs and {@link JdbcTenantDirectory} over a host
 * tenants table, stepped deterministically (manual scheduler, movable clock). Covers what durability is for: a
 * node that dies right after the runner accepted a launch is replaced by another node, over its own connections,
 * without a second launch.
 */
abstract class EngineOnJdbcContract {
    private static final Duration POLL = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofSeconds(60);

    private TestDatabase db;
    private final MutableClock clock = MutableClock.atFixedStart();
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);

    /** @return an empty database */
    protected abstract TestDatabase open();

    @BeforeEach
    void openDatabase() {
        db = open();
        new JdbcSchemaInitializer(db.dataSource(), db.dialect()).initialize();
        db.execute("CREATE TABLE host_tenants (id VARCHAR(64) PRIMARY KEY, slug VARCHAR(64), status VARCHAR(64))",
                "INSERT INTO host_tenants (id, slug, status) VALUES ('acme', 'acme', 'pending')",
                "INSERT INTO host_tenants (id, slug, status) VALUES ('globex', 'globex', 'pending')");
        runner.defaultScript(Script.succeedAfter(2).withArtifacts(Map.of("tenant_url", "https://acme.example")));
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aRequestRunsToSuccessAndTheTenantRowFollows() {
        Node node = new Node("node-a", runner);
        ProvisioningJob job = node.provisioner.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED));
        assertThat(tenantStatus("acme")).isEqualTo(TenantStatus.PROVISIONING);

        node.runUntil(() -> isTerminal(node, job.id()));

        ProvisioningJob done = node.provisioner.job(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.artifacts()).containsEntry("tenant_url", "https://acme.example");
        assertThat(tenantStatus("acme")).isEqualTo(TenantStatus.PROVISIONED);
        assertThat(tenantStatus("globex")).isEqualTo("pending");
        assertThat(node.provisioner.events(job.id()))
                .filteredOn(e -> e.type() == JobEventType.STATUS_CHANGED)
                .extracting(JobEvent::to).containsExactly(JobStatus.IN_PROGRESS, JobStatus.SUCCEEDED);
        // durable: a fresh repository over new connections reads the same job and timeline
        JdbcJobRepository fresh = new JdbcJobRepository(db.newPool(), db.dialect());
        assertThat(fresh.find(job.id()).map(StoredJob::job)).contains(done);
        assertThat(fresh.events(job.id())).isEqualTo(node.provisioner.events(job.id()));
        assertThat(runner.runsFor(job.id())).isEqualTo(1);
    }

    @Test
    void aSecondActiveRequestConflictsAndAnIdempotentRepeatReturnsTheFirstJob() {
        Node node = new Node("node-a", runner);
        ProvisioningRequest request = ProvisioningRequest.builder("acme").deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .idempotencyKey("order-7").build();
        ProvisioningJob first = node.provisioner.request(request);

        assertThat(node.provisioner.request(request).id()).isEqualTo(first.id());
        assertThatThrownBy(() -> node.provisioner.request(ProvisioningRequest.provision("acme",
                DeploymentMode.DOTMAC_HOSTED)))
                .isInstanceOf(ActiveJobConflictException.class)
                .satisfies(e -> assertThat(((ActiveJobConflictException) e).activeJobId()).isEqualTo(first.id()));
        assertThat(node.provisioner.jobs("acme", 1, 20).total()).isEqualTo(1);
    }

    @Test
    void aNodeThatDiesRightAfterLaunchingIsReplacedWithoutASecondLaunch() {
        DyingRunner dying = new DyingRunner(runner);
        Node doomed = new Node("node-a", dying);
        ProvisioningJob job = doomed.provisioner.request(ProvisioningRequest.provision("acme",
                DeploymentMode.DOTMAC_HOSTED));

        assertThatThrownBy(doomed.scheduler::runPending).isInstanceOf(NodeDied.class);
        StoredJob orphan = new JdbcJobRepository(db.dataSource(), db.dialect()).find(job.id()).orElseThrow();
        assertThat(orphan.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(orphan.launchPendingSince()).isNotNull();
        assertThat(orphan.leaseOwner()).isEqualTo("node-a");
        assertThat(runner.runsFor(job.id())).isEqualTo(1);

        Node successor = new Node("node-b", runner);
        assertThat(successor.provisioner.sweepNow()).as("the dead node's lease has not expired yet").isZero();
        clock.advance(LEASE);
        successor.runUntil(() -> isTerminal(successor, job.id()));

        assertThat(successor.provisioner.job(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(runner.runsFor(job.id())).isEqualTo(1);
        assertThat(tenantStatus("acme")).isEqualTo(TenantStatus.PROVISIONED);
    }

    @Test
    void runOutputWithNulAndControlCharactersIsStoredAndTheJobsEnd() {
        String stderr = "fatal:\u0000 \u001b[31mboom\u001b[0m\u0007\u0001 \ud83d";
        runner.script("acme", Script.failAfter(1, "render", "db-1", stderr));
        runner.script("globex", Script.succeedAfter(1).withArtifacts(Map.of("stdout", stderr, "k\u0000", List.of(stderr))));
        Node node = new Node("node-a", runner);
        ProvisioningJob failing = node.provisioner.request(ProvisioningRequest.provision("acme",
                DeploymentMode.DOTMAC_HOSTED));
        ProvisioningJob succeeding = node.provisioner.request(ProvisioningRequest.provision("globex",
                DeploymentMode.DOTMAC_HOSTED));

        node.runUntil(() -> isTerminal(node, failing.id()) && isTerminal(node, succeeding.id()));

        // every JDBC dialect stores NUL and an unpaired surrogate as U+FFFD (PostgreSQL cannot store NUL in text or
        // jsonb) and keeps every other character
        String stored = "fatal:\ufffd \u001b[31mboom\u001b[0m\u0007\u0001 \ufffd";
        ProvisioningJob failed = node.provisioner.job(failing.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorMessage()).contains(stored);
        ProvisioningJob succeeded = node.provisioner.job(succeeding.id()).orElseThrow();
        assertThat(succeeded.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(succeeded.artifacts()).containsEntry("stdout", stored).containsEntry("k\ufffd", List.of(stored));
        assertThat(node.provisioner.events(failing.id())).anySatisfy(e -> assertThat(e.message()).contains(stored));
    }

    @Test
    void twoConcurrentUpgradesWithOneKeyGetTheSameJobOnceCreated() {
        db.execute("UPDATE host_tenants SET status = 'provisioned' WHERE id = 'acme'");
        RequestRace race = new RequestRace(JdbcTenantDirectory.builder(db.dataSource()).table("host_tenants").build());
        Node node = new Node("node-a", runner, race);
        ProvisioningRequest upgrade = ProvisioningRequest.builder("acme").operation(Operation.UPGRADE)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).releaseVersion("2.4.1").idempotencyKey("order-9").build();

        List<Submission> both = race.race(() -> node.provisioner.submit(upgrade));

        assertThat(both).extracting(Submission::created).containsExactlyInAnyOrder(true, false);
        assertThat(both.get(0).job().id()).isEqualTo(both.get(1).job().id());
        assertThat(node.provisioner.jobs("acme", 1, 20).total()).isEqualTo(1);
        assertThat(tenantStatus("acme")).isEqualTo(TenantStatus.UPGRADING);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static boolean isTerminal(Node node, String jobId) {
        return node.provisioner.job(jobId).orElseThrow().status().isTerminal();
    }

    private String tenantStatus(String tenantId) {
        return JdbcTenantDirectory.builder(db.dataSource()).table("host_tenants").build().find(tenantId)
                .orElseThrow().status();
    }

    /** One engine with its own repository over its own pool, stepped by hand. */
    private final class Node {
        final ManualScheduler scheduler = new ManualScheduler();
        final TenantProvisioner provisioner;

        Node(String nodeId, AutomationRunner automation) {
            this(nodeId, automation, JdbcTenantDirectory.builder(db.dataSource()).table("host_tenants").build());
        }

        Node(String nodeId, AutomationRunner automation, TenantDirectory tenants) {
            provisioner = TenantProvisioner.builder()
                    .repository(new ClockedJobRepository(new JdbcJobRepository(db.newPool(), db.dialect()), clock))
                    .tenantDirectory(tenants)
                    .runner(automation)
                    .scheduler(scheduler)
                    .clock(clock)
                    .nodeId(nodeId)
                    .pollInterval(POLL)
                    .leaseDuration(LEASE)
                    .retryDelays(Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .jitter(() -> 0.5)
                    .build();
            provisioner.start();
        }

        void runUntil(BooleanSupplier done) {
            for (int round = 0; round < 30 && !done.getAsBoolean(); round++) {
                scheduler.runPending();
                clock.advance(POLL);
                provisioner.sweepNow();
                scheduler.runPending();
            }
            assertThat(done.getAsBoolean()).as("finished within 30 rounds").isTrue();
        }
    }

    /** Thrown where a real node would simply stop: not an exception the engine handles. */
    static final class NodeDied extends Error {
        private static final long serialVersionUID = 1L;

        NodeDied() {
            super("the node died right after the runner accepted the launch");
        }
    }

    /** A runner whose first launch succeeds and then kills the calling "node" before it can record the run. */
    private static final class DyingRunner extends ForwardingAutomationRunner {
        private final AtomicBoolean died = new AtomicBoolean();

        DyingRunner(AutomationRunner delegate) {
            super(delegate);
        }

        @Override
        public LaunchedRun launch(LaunchSpec spec) {
            LaunchedRun run = super.launch(spec);
            if (died.compareAndSet(false, true)) {
                throw new NodeDied();
            }
            return run;
        }
    }
}
