package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.ServerStatements;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.testkit.ManualScheduler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Enqueueing many tenants, two ways, on one database and one engine that is never started (a manual scheduler whose
 * tasks never run), so only the request path is measured: one {@code rollout(...)} call naming {@code tenants}
 * tenants (stored as the rollout and its members; their jobs are created later, as the rollout starts them), beside
 * {@code tenants} single {@code request()} calls on one thread (what a host loops over without rollouts; each stores
 * a job). Both are provisions of tenants in {@code pending}, each side with tenants of its own. Not thread-safe; one
 * measurement at a time.
 */
final class RolloutEnqueue {
    /** The statement kinds that {@code RolloutRepository.create} sends (see {@code SqlLabels}). */
    static final Set<String> CREATE_KINDS = Set.of("rollout insert", "rollout members insert (batch)",
            "rollout events insert");

    /**
     * One side's figures for one repetition.
     *
     * @param seconds wall time of the call (or calls)
     * @param counts the statements the client sent
     * @param server the server's own count of executions by kind (PostgreSQL), else empty
     */
    record Side(double seconds, StatementCounter.Counts counts, Map<String, ServerStatements.Kind> server) {
        Side {
            server = Map.copyOf(server);
        }

        /** @return statement executions sent by the client */
        long statements() {
            return counts.statements();
        }

        /** @return statement executions the client sent for the rollout's create itself */
        long createStatements() {
            return counts.executions().entrySet().stream().filter(e -> CREATE_KINDS.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** @return executions the server counted (a JDBC batch of 500 rows is 500 here), or -1 without figures */
        long serverCalls() {
            return server.isEmpty() ? -1 : server.values().stream().mapToLong(ServerStatements.Kind::calls).sum();
        }
    }

    /**
     * @param rollout the rollout side
     * @param requests the single-request side
     * @param rolloutFirst whether the rollout side ran first
     */
    record Run(Side rollout, Side requests, boolean rolloutFirst) {
    }

    private final BenchDatabase db;
    private final StatementCounter sql;
    private final TenantProvisioner engine;

    /** @param db the database (its tenants are added here) */
    RolloutEnqueue(BenchDatabase db) {
        this.db = db;
        this.sql = new StatementCounter(db.dataSource());
        this.engine = TenantProvisioner.builder().repository(new JdbcJobRepository(sql, db.dialect()))
                .tenantDirectory(JdbcTenantDirectory.builder(sql).build())
                .rolloutRepository(new JdbcRolloutRepository(sql, db.dialect()))
                .runner(new ScriptedAutomationRunner(Clock.systemUTC())).scheduler(new ManualScheduler())
                .nodeId("bench-enqueue").build();
    }

    /**
     * One repetition: fresh tenants for each side, the sides in the order asked.
     *
     * @param rep the repetition's number (names its tenants)
     * @param tenants tenants per side
     * @param rolloutFirst whether the rollout side runs first
     * @return both sides' figures
     */
    Run run(int rep, int tenants, boolean rolloutFirst) {
        List<String> rolloutTenants = db.addTenants("e" + rep + "-ro-", tenants);
        List<String> requestTenants = db.addTenants("e" + rep + "-rq-", tenants);
        Side rollout;
        Side requests;
        String rolloutPrefix = "e" + rep + "-ro-";
        String requestPrefix = "e" + rep + "-rq-";
        if (rolloutFirst) {
            rollout = measure(() -> rollout(rolloutTenants));
            requests = measure(() -> requests(requestTenants));
        } else {
            requests = measure(() -> requests(requestTenants));
            rollout = measure(() -> rollout(rolloutTenants));
        }
        check("rollout members", "SELECT COUNT(*) FROM tenant_provisioning_rollout_members WHERE status = 'waiting'"
                + " AND tenant_id LIKE '" + rolloutPrefix + "%'", tenants);
        check("jobs", "SELECT COUNT(*) FROM tenant_provisioning_jobs WHERE tenant_id LIKE '" + requestPrefix + "%'",
                tenants);
        return new Run(rollout, requests, rolloutFirst);
    }

    private void rollout(List<String> tenants) {
        engine.rollout(RolloutRequest.builder(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).tenants(TenantSelection.of(tenants))
                .plan(RolloutPlan.builder().maxParallel(200).build()).requestedBy("bench").build());
    }

    private void requests(List<String> tenants) {
        for (String tenant : tenants) {
            engine.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED));
        }
    }

    private void check(String what, String countSql, int expected) {
        long stored = db.count(countSql);
        if (stored != expected) {
            throw new IllegalStateException(stored + " " + what + " stored for " + expected + " tenants");
        }
    }

    private Side measure(Runnable work) {
        @Nullable ServerStatements server = db.serverStatements();
        if (server != null) {
            server.reset();
        }
        sql.reset();
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        StatementCounter.Counts counts = sql.counts();
        return new Side(seconds, counts, server == null ? Map.of() : server.byKind());
    }
}
