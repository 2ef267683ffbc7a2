/**
 * Benchmarks of the provisioning engine, run on demand by {@link com.dotmac.provisioning.benchmarks.Main}: engine
 * throughput against a hand-written JDBC floor, AWX request economy against a one-poll-per-job client, scale (10,000
 * jobs in flight; one to three nodes) and the latency from a run's end to the tenant's new status.
 */
@NullMarked
package com.dotmac.provisioning.benchmarks;

import org.jspecify.annotations.NullMarked;
