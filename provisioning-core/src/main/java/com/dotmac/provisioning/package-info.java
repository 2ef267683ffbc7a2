/**
 * The public API of the tenant provisioning library.
 *
 * <p>Start with {@link com.dotmac.provisioning.TenantProvisioner}: build one with
 * {@link com.dotmac.provisioning.TenantProvisioner#builder()}, {@code start()} it, and call
 * {@link com.dotmac.provisioning.TenantProvisioner#request(ProvisioningRequest)}. Jobs move through the
 * state machine of {@link com.dotmac.provisioning.state.JobStateMachine}; the ports a host or a module
 * implements live in {@link com.dotmac.provisioning.spi}.
 *
 * <p>All exceptions thrown by this library extend {@link com.dotmac.provisioning.ProvisioningException}.
 */
@NullMarked
package com.dotmac.provisioning;

import org.jspecify.annotations.NullMarked;
