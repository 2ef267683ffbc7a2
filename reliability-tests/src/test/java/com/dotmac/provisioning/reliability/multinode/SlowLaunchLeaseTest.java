package com.dotmac.provisioning.reliability.multinode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 3: a launch slower than the lease. Three engines (own node ids, connection pools, AWX runners and
 * real schedulers) share one embedded PostgreSQL and one fake AWX; the lease is 1 s, and AWX holds a launch request
 * before processing it for as long as the test says. While the launching node waits for AWX, the other two sweep
 * every 100 ms. The test waits until the job's lease, renewed by the launching node's heartbeat, reaches four leases
 * past the moment the launch was held (so the other nodes have had every chance to take the job), then lets the
 * launch through. Each of the three rounds (one per launching node) must end with one AWX run for the job, followed
 * by the node that launched it, and no runner call given up. (Before the heartbeat, another node claimed the job
 * after 1 s, found no run and launched a second one.)
 */
@Tag("reliability")
@Tag("multinode")
class SlowLaunchLeaseTest {
    private static final int ENGINES = 3;
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration HELD_FOR = LEASE.multipliedBy(4);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aLaunchHeldLongerThanTheLeaseIsLaunchedOnceByTheNodeThatHoldsIt() throws Exception {
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(1));
        List<TenantProvisioner> engines = new ArrayList<>();
        List<AwxAutomationRunner> runners = new ArrayList<>();
        try (Schema db = Postgres.newSchema("slow_launch").withTables();
             AwxFront front = new AwxFront(awx, new Random(3))) {
            front.start();
            try {
                for (int n = 0; n < ENGINES; n++) {
                    String nodeId = "node-" + n;
                    AwxAutomationRunner runner = new AwxAutomationRunner(front.configBuilder()
                            .readTimeout(TIMEOUT).build());
                    runners.add(runner);
                    TenantProvisioner engine = TenantProvisioner.builder()
                            .repository(new JdbcJobRepository(db.newPool(nodeId, 4), JdbcDialect.POSTGRESQL))
                            .tenantDirectory(JdbcTenantDirectory.builder(db.newPool(nodeId + "-tenants", 2)).build())
                            .runner(runner)
                            .nodeId(nodeId)
                            .pollInterval(Duration.ofMillis(200))
                            .sweepInterval(Duration.ofMillis(100))
                            .leaseDuration(LEASE)
                            .build();
                    engine.start();
                    engines.add(engine);
                }
                for (int round = 0; round < ENGINES; round++) {
                    String tenant = "slow-" + round;
                    db.insertTenant(tenant, "new");
                    AwxFront.Hold hold = front.holdNextLaunch();
                    long heldAt = System.currentTimeMillis();
                    ProvisioningJob job = engines.get(round).request(ProvisioningRequest.builder(tenant)
                            .deploymentMode(DeploymentMode.DOTMAC_HOSTED).build());
                    await().atMost(TIMEOUT).until(hold::isHolding);
                    await().atMost(TIMEOUT).until(() -> db.scalar("SELECT CAST(EXTRACT(EPOCH FROM lease_until) * 1000 "
                            + "AS BIGINT) FROM tenant_provisioning_jobs WHERE id = ?", job.id())
                            > heldAt + HELD_FOR.toMillis());
                    assertThat(db.rows("SELECT lease_owner, status FROM tenant_provisioning_jobs WHERE id = ?",
                            job.id()).get(0)).as("the launching node still holds the job it is launching")
                            .containsEntry("lease_owner", "node-" + round).containsEntry("status", "queued");
                    hold.release();

                    await().atMost(TIMEOUT).until(() -> engines.get(0).job(job.id()).orElseThrow().status()
                            == JobStatus.SUCCEEDED);
                    assertThat(Launches.runsByJob(awx).get(job.id())).as(() -> "AWX runs of job " + job.id() + "; "
                            + db.timeline(job.id())).hasSize(1);
                    assertThat(db.timeline(job.id())).doesNotContain(ErrorCodes.LEASE_LOST)
                            .doesNotContain(ErrorCodes.RUNNER_CALL_TIMED_OUT)
                            .doesNotContain(JobEventType.LAUNCH_RETRY_SCHEDULED.wireName());
                }
            } finally {
                engines.forEach(TenantProvisioner::close);
                runners.forEach(AwxAutomationRunner::close);
            }
        }
    }
}
