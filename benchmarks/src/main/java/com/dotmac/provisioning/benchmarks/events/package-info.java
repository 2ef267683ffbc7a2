/**
 * The receiving end of the events-out benchmark: where the engine's outbox events arrive ({@link
 * com.dotmac.provisioning.benchmarks.events.EventReceiver}) and the record of what arrived when ({@link
 * com.dotmac.provisioning.benchmarks.events.Receipts}): a Java {@code EventConsumer} ({@link
 * com.dotmac.provisioning.benchmarks.events.JavaConsumerReceiver}) and webhooks end to end, an HTTP server taking the
 * signed CloudEvents posts ({@link com.dotmac.provisioning.benchmarks.events.WebhookReceiver}).
 */
@NullMarked
package com.dotmac.provisioning.benchmarks.events;

import org.jspecify.annotations.NullMarked;
