package com.dotmac.provisioning.benchmarks.events;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.support.StatementCounter;
import java.util.Map;

/**
 * Where the engine's outbox events go in the events-out benchmark, and how they get there: it sets up its receiving
 * end (a Java consumer in the engine's JVM, {@link JavaConsumerReceiver}; the webhook module's queue, dispatcher and
 * signed posts to an HTTP server in the benchmark, {@link WebhookReceiver}), wires the engine's builder to send to
 * it, and records each arrival in a {@link Receipts} (and each request it refuses, which fails the run). The
 * benchmark measures whatever receiver it is given; {@code OutboxBenchmark.receivers} lists them. Implementations are
 * thread-safe: events arrive on the engine's delivery thread (or a server's threads) while the benchmark reads the
 * receipts.
 */
public interface EventReceiver extends AutoCloseable {
    /** @return a short name for the report, e.g. {@code Java EventConsumer} */
    String name();

    /**
     * Sets up the receiving end and makes the engine deliver to it.
     *
     * @param builder the engine's builder (its repository records events)
     * @param receipts where every arrival is recorded
     */
    void attach(TenantProvisioner.Builder builder, Receipts receipts);

    /**
     * The SQL statements of the receiver's own hop after the outbox, by kind (for webhooks: the delivery queue
     * table's enqueue, claim and delete), counted since {@link #attach}; the outbox's own statements are not in it.
     *
     * @return executions and time by kind; empty when the hop has no statements of its own (the default: an
     *     in-process consumer)
     */
    default StatementCounter.Counts hopStatements() {
        return new StatementCounter.Counts(Map.of(), Map.of(), 0, 0, 0);
    }

    /** Stops the receiving end (a server's port, its threads); nothing for an in-process consumer. */
    @Override
    void close();
}
