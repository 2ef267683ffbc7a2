package com.dotmac.provisioning.benchmarks.events;

import com.dotmac.provisioning.TenantProvisioner;

/**
 * Where the engine's outbox events go in the events-out benchmark, and how they get there: it sets up its receiving
 * end (a Java consumer in the engine's JVM; an HTTP server for webhooks), wires the engine's builder to send to it,
 * and records each arrival in a {@link Receipts}. The benchmark measures whatever receiver it is given, so a webhook
 * receiver (the {@code provisioning-webhooks} module's signed CloudEvents posts to an HTTP server in the benchmark,
 * verified and recorded by their CloudEvents {@code id} and {@code time}) is one more implementation of this
 * interface, added to {@code OutboxBenchmark}'s list of receivers. Implementations are thread-safe: events arrive on
 * the engine's delivery thread (or a server's threads) while the benchmark reads the receipts.
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

    /** Stops the receiving end (a server's port, its threads); nothing for an in-process consumer. */
    @Override
    void close();
}
