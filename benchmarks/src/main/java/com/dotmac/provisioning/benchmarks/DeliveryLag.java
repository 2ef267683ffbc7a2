package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.events.EventReceiver;
import com.dotmac.provisioning.benchmarks.events.Receipts;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Parallel;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The delay from a change to its receipt: one real-time engine (default scheduler, real clock, its own pool) on
 * {@code JdbcJobRepository.withOutbox()}, a scripted runner (running at the first poll, success at the second),
 * client threads requesting the jobs, and an {@link EventReceiver} at the end of the pipe. For each event the lag is
 * the receipt time minus the event's {@code at} (stamped by the engine just before the change's commit), at its first
 * receipt. The run ends when every job ended and every change in the jobs' timelines was received; it fails as soon
 * as the receiving end refuses a request (a bad webhook signature). Not thread-safe; one run at a time.
 */
final class DeliveryLag {
    private static final int POOL_SIZE = 8;
    private static final int CLIENT_THREADS = 4;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration SWEEP = Duration.ofMillis(100);
    private static final Duration LIMIT = Duration.ofMinutes(5);

    /**
     * @param receiver the receiving end's name
     * @param interval the engine's event delivery interval
     * @param jobs jobs requested
     * @param events distinct events received (one per change in the timelines)
     * @param duplicates receipts of an event already received
     * @param lagMillis the lags of the first receipts, in milliseconds
     * @param seconds from the first request to the last receipt
     * @param hopStatements the statements of the receiver's own hop after the outbox, by kind (empty for none)
     */
    record Result(String receiver, Duration interval, int jobs, int events, long duplicates, Stats lagMillis,
            double seconds, StatementCounter.Counts hopStatements) {
        /** @return the hop's statements per event received (0 when it has none) */
        double hopStatementsPerEvent() {
            return events == 0 ? 0 : hopStatements.statements() / (double) events;
        }
    }

    private DeliveryLag() {
    }

    /**
     * @param db a fresh database (tenants are added to it; its timelines hold this run's jobs only)
     * @param jobs jobs to request
     * @param interval the engine's event delivery interval
     * @param receiver the receiving end (closed by this run before its statements are read)
     * @return the figures
     * @throws IllegalStateException when the jobs or their events do not all arrive within 5 minutes, or the receiving
     *     end refused a request
     */
    static Result run(BenchDatabase db, int jobs, Duration interval, EventReceiver receiver) {
        List<String> tenants = db.addTenants("lag-", jobs);
        Receipts receipts = new Receipts();
        Completions completions = new Completions();
        ScriptedAutomationRunner runner = new ScriptedAutomationRunner(Clock.systemUTC())
                .defaultScript(Script.succeedAfter(1));
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(new JdbcJobRepository(db.newPool(POOL_SIZE), db.dialect()).withOutbox())
                .tenantDirectory(JdbcTenantDirectory.builder(db.newPool(2)).build())
                .runner(runner).nodeId("bench-lag").pollInterval(POLL).sweepInterval(SWEEP)
                .eventDeliveryInterval(interval).listener(completions);
        receiver.attach(builder, receipts);
        TenantProvisioner engine = builder.build();
        engine.start();
        long start = System.nanoTime();
        try {
            Parallel.forEach(CLIENT_THREADS, jobs, i -> engine.request(
                    ProvisioningRequest.provision(tenants.get(i), DeploymentMode.DOTMAC_HOSTED)));
            await(() -> completions.completed() >= jobs, "jobs ended: " + jobs, receipts);
            long changes = db.count("SELECT COUNT(*) FROM tenant_provisioning_job_events "
                    + "WHERE type IN ('created', 'status_changed')");
            await(() -> receipts.distinct() >= changes, "events received: " + changes, receipts);
        } finally {
            engine.close();
            // a post's receipt is recorded before its answer and the queue's delete: closing the receiving end lets
            // the posts under way finish and record their outcome, so the hop's statements below are complete
            receiver.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        refused(receipts);
        if (completions.completed(JobStatus.SUCCEEDED) != jobs) {
            throw new IllegalStateException("delivery lag: not every job succeeded");
        }
        return new Result(receiver.name(), interval, jobs, receipts.distinct(), receipts.duplicates(),
                receipts.lagMillis(), seconds, receiver.hopStatements());
    }

    private static void refused(Receipts receipts) {
        String why = receipts.rejection();
        if (why != null) {
            throw new IllegalStateException("delivery lag: the receiving end refused a request: " + why);
        }
    }

    private static void await(BooleanSupplier done, String what, Receipts receipts) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!done.getAsBoolean()) {
            refused(receipts);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("delivery lag: not all " + what + " within " + LIMIT);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
