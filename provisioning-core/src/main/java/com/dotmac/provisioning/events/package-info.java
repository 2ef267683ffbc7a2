/**
 * Events out of the library: {@link com.dotmac.provisioning.events.ProvisioningEvent}, what every job status change
 * produces through the durable outbox, and {@link com.dotmac.provisioning.events.EventConsumer}, what a host registers
 * with {@code TenantProvisioner.builder().eventConsumer(name, consumer)} to receive them, at least once.
 */
@NullMarked
package com.dotmac.provisioning.events;

import org.jspecify.annotations.NullMarked;
