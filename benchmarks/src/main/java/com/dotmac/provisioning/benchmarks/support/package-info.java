/**
 * What the benchmarks share: databases (embedded PostgreSQL, H2) behind connection pools, a statement-counting
 * {@link javax.sql.DataSource}, request counters, timing decorators, and small statistics.
 */
@NullMarked
package com.dotmac.provisioning.benchmarks.support;

import org.jspecify.annotations.NullMarked;
