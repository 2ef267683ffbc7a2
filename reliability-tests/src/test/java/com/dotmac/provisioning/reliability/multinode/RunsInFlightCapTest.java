package com.dotmac.provisioning.reliability.multinode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.AwxFront;
import com.dotmac.provisioning.reliability.support.EngineNodes;
import com.dotmac.provisioning.reliability.support.Figures;
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
 * The cap on runs in flight ({@code maxConcurrentRuns}, {@code provisioning.engine.max-concurrent-runs}) holds
 * across nodes: three engines (own node ids, pools, repositories and AWX runners) share one embedded PostgreSQL
 * schema and one fake AWX, each with a cap of {@value #CAP}; {@value #JOBS} provisions are requested across them at
 * once. The fake counts the runs active at once (from the launch until a poll sees the run end): never more than the
 * cap. Every job ends, succeeded, with one run each.
 */
@Tag("reliability")
@Tag("multinode")
class RunsInFlightCapTest {
    private static final int ENGINES = 3;
    private static final int CAP = 3;
    private static final int JOBS = 90;

    @Test
    void threeEnginesNeverHaveMoreRunsActiveInAwxThanTheCap() throws Exception {
        FakeAwx awx = new FakeAwx();
        awx.defaultScript(RunScript.succeedAfter(2));
        try (Schema db = Postgres.newSchema("runscap").withTables();
             AwxFront front = new AwxFront(awx, new Random(9)).latency(Duration.ofMillis(10))) {
            front.start();
            List<TenantProvisioner> engines = new ArrayList<>();
            List<AwxAutomationRunner> runners = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int n = 0; n < ENGINES; n++) {
                    String nodeId = "cap-node-" + n;
                    AwxAutomationRunner runner = EngineNodes.runner(front, Duration.ofSeconds(5));
                    runners.add(runner);
                    TenantProvisioner engine = EngineNodes.node(db, nodeId, runner)
                            .maxConcurrentRuns(CAP)
                            .pollInterval(Duration.ofMillis(100))
                            .sweepInterval(Duration.ofMillis(20))
                            .leaseDuration(Duration.ofSeconds(30))
                            .retryDelays(Duration.ofMillis(200), Duration.ofSeconds(1))
                            .build();
                    engines.add(engine);
                    engine.start();
                }
                for (int i = 0; i < JOBS; i++) {
                    String tenant = "cap-" + i;
                    db.insertTenant(tenant, "new");
                    engines.get(i % ENGINES).request(ProvisioningRequest.builder(tenant)
                            .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                            .requestedBy("cap-test").build());
                }

                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status IN "
                                + "('queued', 'in_progress') OR NOT tenant_status_applied") == 0);

                assertThat(awx.mostActiveRuns()).as("the most AWX runs active at once (cap %d on each of %d "
                        + "engines)", CAP, ENGINES).isBetween(1, CAP);
                assertThat(db.scalar("SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE status = 'succeeded'"))
                        .as("jobs succeeded").isEqualTo(JOBS);
                assertThat(Launches.runsByJob(awx)).as("jobs that started a run").hasSize(JOBS);
                assertThat(Launches.duplicates(awx)).as("jobs that started more than one run").isEmpty();
            } finally {
                engines.forEach(TenantProvisioner::close);
                runners.forEach(AwxAutomationRunner::close);
                new Figures("runs-in-flight-cap")
                        .put("engines", ENGINES)
                        .put("cap", CAP)
                        .put("jobs", JOBS)
                        .put("most AWX runs active at once", awx.mostActiveRuns())
                        .put("AWX runs started", Launches.runsByJob(awx).size())
                        .seconds("time taken", (System.nanoTime() - started) / 1e9)
                        .save();
            }
        }
    }
}
