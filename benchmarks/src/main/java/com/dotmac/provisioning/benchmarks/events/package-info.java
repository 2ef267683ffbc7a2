/**
 * The receiving end of the events-out benchmark: where the engine's outbox events arrive ({@link
 * com.dotmac.provisioning.benchmarks.events.EventReceiver}) and the record of what arrived when ({@link
 * com.dotmac.provisioning.benchmarks.events.Receipts}). A Java {@code EventConsumer} receives them today; a webhook
 * receiver (an HTTP server taking signed CloudEvents posts) is another {@code EventReceiver}.
 */
@NullMarked
package com.dotmac.provisioning.benchmarks.events;

import org.jspecify.annotations.NullMarked;
