/**
 * In-memory implementations of {@link com.dotmac.provisioning.spi.JobRepository} and
 * {@link com.dotmac.provisioning.spi.TenantDirectory}: for tests, demos and single-node hosts that accept losing
 * jobs on restart.
 */
@NullMarked
package com.dotmac.provisioning.memory;

import org.jspecify.annotations.NullMarked;
