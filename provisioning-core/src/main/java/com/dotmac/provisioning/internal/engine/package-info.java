/**
 * The engine that drives jobs through the state machine: claiming with leases, launching (with crash-safe
 * re-attachment), batch polling, retries with back-off, deadlines, cancellation and tenant status. Not API: use
 * {@link com.dotmac.provisioning.TenantProvisioner}.
 */
@NullMarked
package com.dotmac.provisioning.internal.engine;

import org.jspecify.annotations.NullMarked;
