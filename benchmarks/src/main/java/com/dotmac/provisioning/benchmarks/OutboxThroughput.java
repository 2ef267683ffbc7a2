package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Lifecycle throughput with the outbox off and on, the same workload on one database in one JVM: two stepped engines
 * (manual scheduler, movable clock, instant scripted runner, as {@link ThroughputBenchmark}), one on
 * {@code JdbcJobRepository} and one on {@code JdbcJobRepository.withOutbox()} with an {@code EventConsumer} that
 * counts. The "on" side runs its delivery worker after every sweep and drains the outbox before its clock stops, so
 * its time and statements include delivering every event of the run. After a warm-up of both, the repetitions
 * alternate which side runs first. Not thread-safe; one run at a time.
 */
final class OutboxThroughput {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofHours(2);

    /**
     * One measured repetition.
     *
     * @param offFirst whether the outbox-off side ran first
     * @param offMillis off: wall milliseconds per job
     * @param onMillis on: wall milliseconds per job
     * @param offStatements off: statements per job
     * @param onStatements on: statements per job (delivery included)
     * @param eventsDelivered events the on side's consumer received during the repetition
     */
    record Run(boolean offFirst, double offMillis, double onMillis, double offStatements, double onStatements,
            long eventsDelivered) {
    }

    /**
     * @param database the database's description
     * @param jobs jobs per repetition and side
     * @param runs every repetition, in order
     * @param off the off side's statements in the last repetition
     * @param on the on side's statements in the last repetition
     */
    record Result(String database, int jobs, List<Run> runs, StatementCounter.Counts off, StatementCounter.Counts on) {
        Result {
            runs = List.copyOf(runs);
        }

        /** @return the per-run ratios of wall time per job, on / off */
        Stats wallRatio() {
            return Stats.ofRatios(runs.stream().map(Run::onMillis).toList(),
                    runs.stream().map(Run::offMillis).toList());
        }

        /** @return median wall milliseconds per job, off side */
        double offMillis() {
            return Stats.of(runs.stream().map(Run::offMillis).toList()).median();
        }

        /** @return median wall milliseconds per job, on side */
        double onMillis() {
            return Stats.of(runs.stream().map(Run::onMillis).toList()).median();
        }
    }

    /** One stepped engine and what it needs to be driven. */
    private static final class Side {
        private final StatementCounter sql;
        private final ManualScheduler scheduler = new ManualScheduler();
        private final MutableClock clock = MutableClock.atFixedStart();
        private final Completions completions = new Completions();
        private final AtomicLong received = new AtomicLong();
        private final boolean outbox;
        private final TenantProvisioner engine;

        Side(BenchDatabase db, boolean outbox) {
            this.sql = new StatementCounter(db.dataSource());
            this.outbox = outbox;
            JdbcJobRepository jdbc = new JdbcJobRepository(sql, db.dialect());
            JobRepository repository = outbox ? new ClockedOutboxRepository(jdbc.withOutbox(), clock)
                    : new ClockedJobRepository(jdbc, clock);
            TenantProvisioner.Builder builder = TenantProvisioner.builder()
                    .repository(repository)
                    .tenantDirectory(JdbcTenantDirectory.builder(sql).build())
                    .runner(new ScriptedAutomationRunner(clock).defaultScript(Script.succeedAfter(0)))
                    .scheduler(scheduler).clock(clock).nodeId(outbox ? "bench-outbox-on" : "bench-outbox-off")
                    .pollInterval(POLL).jobTimeout(TIMEOUT)
                    .listener(completions);
            if (outbox) {
                builder.eventConsumer("counter", e -> received.incrementAndGet());
            }
            this.engine = builder.build();
            engine.start();
        }

        /** @return wall milliseconds per job, delivery of the run's events included on the on side */
        double run(List<String> tenants) {
            completions.reset();
            long start = System.nanoTime();
            for (String tenant : tenants) {
                engine.request(ProvisioningRequest.provision(tenant, DeploymentMode.DOTMAC_HOSTED));
                scheduler.runPending();
            }
            for (int round = 0; completions.completed() < tenants.size(); round++) {
                if (round > 100) {
                    throw new IllegalStateException("only " + completions.completed() + " of " + tenants.size()
                            + " jobs finished after 100 sweeps");
                }
                clock.advance(POLL);
                engine.sweepNow();
                scheduler.runPending();
                deliver();
            }
            long before = -1;
            while (outbox && received.get() != before) {
                before = received.get();
                deliver();
            }
            long elapsed = System.nanoTime() - start;
            if (completions.completed(JobStatus.SUCCEEDED) != tenants.size()) {
                throw new IllegalStateException("not every job succeeded");
            }
            return elapsed / 1e6 / tenants.size();
        }

        private void deliver() {
            if (outbox) {
                scheduler.runOwnThreadTasks();
            }
        }
    }

    private OutboxThroughput() {
    }

    /**
     * @param db the database (tenants are added to it)
     * @param jobs jobs per repetition and side
     * @param warmupJobs jobs of the warm-up, each side
     * @param repetitions measured repetitions
     * @return the figures
     * @throws IllegalStateException when a job does not succeed or an event is left undelivered
     */
    static Result run(BenchDatabase db, int jobs, int warmupJobs, int repetitions) {
        Side off = new Side(db, false);
        Side on = new Side(db, true);
        try {
            off.run(db.addTenants("ob-warm-off-", warmupJobs));
            on.run(db.addTenants("ob-warm-on-", warmupJobs));
            List<Run> runs = new ArrayList<>();
            StatementCounter.@Nullable Counts offLast = null;
            StatementCounter.@Nullable Counts onLast = null;
            for (int r = 0; r < repetitions; r++) {
                List<String> offTenants = db.addTenants("ob" + r + "-off-", jobs);
                List<String> onTenants = db.addTenants("ob" + r + "-on-", jobs);
                boolean offFirst = r % 2 == 0;
                long receivedBefore = on.received.get();
                double offMillis;
                double onMillis;
                off.sql.reset();
                on.sql.reset();
                if (offFirst) {
                    offMillis = off.run(offTenants);
                    onMillis = on.run(onTenants);
                } else {
                    onMillis = on.run(onTenants);
                    offMillis = off.run(offTenants);
                }
                offLast = off.sql.counts();
                onLast = on.sql.counts();
                runs.add(new Run(offFirst, offMillis, onMillis, offLast.statements() / (double) jobs,
                        onLast.statements() / (double) jobs, on.received.get() - receivedBefore));
            }
            long left = db.count("SELECT COUNT(*) FROM tenant_provisioning_outbox");
            if (left != 0) {
                throw new IllegalStateException(left + " events left in the outbox after the runs");
            }
            if (offLast == null || onLast == null) {
                throw new IllegalArgumentException("one repetition or more");
            }
            return new Result(db.description(), jobs, runs, offLast, onLast);
        } finally {
            off.engine.close();
            on.engine.close();
        }
    }
}
