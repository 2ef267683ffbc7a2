package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.benchmarks.support.AwxRequestCounter;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.JvmState;
import com.dotmac.provisioning.benchmarks.support.Parallel;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.rollout.TenantSelection;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.StoredJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A whole upgrade rollout in real time: {@code tenants} provisioned tenants (each with a succeeded provision job,
 * seeded straight into the repository), one engine on the default scheduler and the real clock, the AWX runner
 * against a fake AWX whose runs take {@code runTime} ({@link RealTimeRunEnder}), one wave, {@code maxParallel} runs
 * in flight, and the engine's cap on runs in flight set so that the share it keeps for single requests still leaves
 * the rollout {@code maxParallel}. Measured: the rollout's own wall time (created to completed) against the ideal
 * {@code tenants / maxParallel x runTime}, the runs active at the fake (mean and most), AWX requests and SQL
 * statements per tenant, and the heap. Not thread-safe; one measurement at a time.
 */
final class WholeRollout {
    /** Mirrors {@code ProvisionerRollouts.RESERVED_FOR_SINGLE_REQUESTS_PERCENT}: the cap's share kept for singles. */
    static final int RESERVED_PERCENT = 10;
    private static final int SEED_THREADS = 4;

    /**
     * @param tenants tenants in the rollout
     * @param maxParallel the rollout's runs in flight
     * @param runTime how long each AWX run takes
     * @param pollInterval the engine's poll interval
     * @param sweepInterval the engine's sweep interval (also how often a live rollout is looked at)
     */
    record Settings(int tenants, int maxParallel, Duration runTime, Duration pollInterval, Duration sweepInterval) {
        /** @return the ideal wall time: every slot busy with a run all the time */
        double idealSeconds() {
            return Math.ceil(tenants / (double) maxParallel) * runTime.toMillis() / 1000.0;
        }
    }

    /**
     * @param settings what ran
     * @param engineCap the engine's cap on runs in flight
     * @param seconds the rollout's wall time (its creation to its completion, by its own timestamps)
     * @param rollout the rollout at its end
     * @param secondsToFull seconds until the fake first had {@code maxParallel} runs active, or -1
     * @param meanActive runs active at the fake, mean over the rollout
     * @param mostActive runs active at the fake at most
     * @param awx AWX requests by kind
     * @param sql SQL statements by kind, the whole rollout
     * @param heapBefore heap used after a full collection before the rollout (tenants seeded, engine started)
     * @param heapPeak heap used at most, sampled every tick (garbage included)
     * @param heapAfter heap used after a full collection when the rollout completed (engine still running)
     * @param heapMax the JVM's maximum heap
     * @param phases where a member's time went, means over the members
     */
    record Result(Settings settings, int engineCap, double seconds, Rollout rollout, double secondsToFull,
            double meanActive, int mostActive, Map<String, Long> awx, StatementCounter.Counts sql, long heapBefore,
            long heapPeak, long heapAfter, long heapMax, Phases phases) {
        Result {
            awx = Map.copyOf(awx);
        }
    }

    /**
     * Where a member's time went, means over the members in seconds, from the stored timestamps: its job's creation
     * (the rollout started the member) to the run's launch (the job's {@code started_at}), the launch to the job's
     * end as the engine saw it ({@code finished_at}: the run time plus the wait for the poll that saw it end), and
     * that end to the rollout's look that recorded it (the member's {@code updated_at}).
     *
     * @param toLaunch creation → launch
     * @param launchToEnd launch → end seen by the engine
     * @param endToRollout end → the rollout's look that recorded it
     */
    record Phases(double toLaunch, double launchToEnd, double endToRollout) {
    }

    private WholeRollout() {
    }

    /**
     * @param maxParallel the rollout's runs in flight
     * @return the smallest engine cap on runs in flight that leaves a rollout {@code maxParallel} runs
     */
    static int engineCapFor(int maxParallel) {
        int cap = maxParallel + 1;
        while (cap - Math.max(1, cap * RESERVED_PERCENT / 100) < maxParallel) {
            cap++;
        }
        return cap;
    }

    /**
     * @param db a fresh database
     * @param s the settings
     * @return the figures
     * @throws IllegalStateException when the rollout does not complete with every tenant upgraded in time
     */
    static Result run(BenchDatabase db, Settings s) {
        List<String> tenants = seed(db, s.tenants());
        int cap = engineCapFor(s.maxParallel());
        StatementCounter sql = new StatementCounter(db.dataSource());
        AwxRequestCounter awxRequests = new AwxRequestCounter();
        try (FakeAwx fake = new FakeAwx()) {
            fake.defaultScript(RunScript.hang());
            fake.start();
            try (AwxAutomationRunner runner = new AwxAutomationRunner(fake.configBuilder()
                    .requestListener(awxRequests).build())) {
                TenantProvisioner engine = TenantProvisioner.builder()
                        .repository(new JdbcJobRepository(sql, db.dialect()))
                        .tenantDirectory(JdbcTenantDirectory.builder(sql).build())
                        .rolloutRepository(new JdbcRolloutRepository(sql, db.dialect())).runner(runner)
                        .nodeId("bench-rollout").pollInterval(s.pollInterval()).sweepInterval(s.sweepInterval())
                        .maxConcurrentRuns(cap).build();
                engine.start();
                try {
                    long heapBefore = JvmState.heapUsedAfterGc();
                    sql.reset();
                    awxRequests.reset();
                    try (RealTimeRunEnder ender = new RealTimeRunEnder(fake, s.runTime(), s.maxParallel())) {
                        Rollout started = engine.rollout(RolloutRequest.builder(Operation.UPGRADE)
                                .releaseVersion("2.4.0").tenants(TenantSelection.of(tenants))
                                .plan(RolloutPlan.builder().maxParallel(s.maxParallel()).build())
                                .requestedBy("bench").build());
                        Rollout done = awaitEnd(engine, db, started.id(), s);
                        StatementCounter.Counts counts = sql.counts();
                        Instant finished = done.finishedAt() == null ? Instant.now() : done.finishedAt();
                        double seconds = Duration.between(done.createdAt(), finished).toNanos() / 1e9;
                        Map<String, Long> awx = awxRequests.byEndpoint();
                        long heapAfter = JvmState.heapUsedAfterGc();
                        return new Result(s, cap, seconds, done, ender.secondsToTarget(), ender.meanActive(),
                                fake.mostActiveRuns(), awx, counts, heapBefore, ender.peakHeap(), heapAfter,
                                JvmState.heapMax(), phases(db, done.id()));
                    }
                } finally {
                    engine.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake AWX", e);
        }
    }

    /**
     * Waits for the rollout to leave {@code running}, looking at its row through the database's own pool (not the
     * engine's, whose statements are counted), then reads it through the engine.
     */
    private static Rollout awaitEnd(TenantProvisioner engine, BenchDatabase db, String rolloutId, Settings s) {
        long deadline = System.nanoTime() + Duration.ofMillis((long) (s.idealSeconds() * 1000 * 5))
                .plusMinutes(2).toNanos();
        String stillRunning = "SELECT COUNT(*) FROM tenant_provisioning_rollouts WHERE id = '" + rolloutId
                + "' AND status = 'running'";
        while (db.count(stillRunning) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rollout did not complete in 5 x its ideal time + 2 min; "
                        + "members " + engine.rollouts().find(rolloutId).orElseThrow().members());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Rollout r = engine.rollouts().find(rolloutId).orElseThrow();
        if (r.status() != RolloutStatus.COMPLETED) {
            throw new IllegalStateException("the rollout is " + r.status().wireName() + ": " + r.statusReason()
                    + "; members " + r.members());
        }
        return r;
    }

    /** Reads the members' and their jobs' timestamps through the database's own pool (not counted). */
    private static Phases phases(BenchDatabase db, String rolloutId) {
        String sql = "SELECT j.created_at, j.started_at, j.finished_at, m.updated_at FROM "
                + "tenant_provisioning_rollout_members m JOIN tenant_provisioning_jobs j ON j.id = m.job_id "
                + "WHERE m.rollout_id = ?";
        double[] sums = new double[3];
        int rows = 0;
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] t = {millis(rs, 1), millis(rs, 2), millis(rs, 3), millis(rs, 4)};
                    for (int k = 0; k < 3; k++) {
                        sums[k] += (t[k + 1] - t[k]) / 1000.0;
                    }
                    rows++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the members' timestamps", e);
        }
        int n = Math.max(1, rows);
        return new Phases(sums[0] / n, sums[1] / n, sums[2] / n);
    }

    private static long millis(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        if (t == null) {
            throw new IllegalStateException("a member's job has no timestamp in column " + column);
        }
        return t.getTime();
    }

    /** Adds the tenants as provisioned, each with a succeeded provision job (the deployment an upgrade takes). */
    private static List<String> seed(BenchDatabase db, int count) {
        List<String> tenants = db.addTenants("up-", count);
        db.execute("UPDATE tenants SET status = 'provisioned'");
        JobRepository jobs = new JdbcJobRepository(db.dataSource(), db.dialect());
        Instant at = Instant.now().minus(Duration.ofDays(1));
        Parallel.forEach(SEED_THREADS, count, i -> {
            String tenant = tenants.get(i);
            ProvisioningJob job = ProvisioningJob.builder(UUID.randomUUID().toString()).tenantId(tenant)
                    .tenantSlug(tenant).operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                    .status(JobStatus.SUCCEEDED).createdAt(at).updatedAt(at).startedAt(at).finishedAt(at)
                    .runId(String.valueOf(i + 1)).build();
            jobs.create(new StoredJob(job, 0, null, null, null, null, null, null, true), List.of());
        });
        return tenants;
    }
}
