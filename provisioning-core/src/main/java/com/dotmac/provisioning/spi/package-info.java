/**
 * The ports of the library: what a host or a module implements.
 *
 * <ul>
 *   <li>{@link com.dotmac.provisioning.spi.JobRepository}: durable jobs and their timelines (in memory in the core,
 *       JDBC in {@code provisioning-jdbc});</li>
 *   <li>{@link com.dotmac.provisioning.spi.AutomationRunner}: launches and follows automation runs (AWX in
 *       {@code provisioning-awx}, local Ansible, a scripted runner for tests);</li>
 *   <li>{@link com.dotmac.provisioning.spi.Scheduler}: runs the engine's periodic and immediate work;</li>
 *   <li>{@link com.dotmac.provisioning.spi.TenantDirectory}: the host's tenants and their statuses;</li>
 *   <li>{@link com.dotmac.provisioning.spi.CredentialPolicy}: which credentials a tenant's customer-hosted jobs may
 *       use, and what the runner logs in with;</li>
 *   <li>{@link com.dotmac.provisioning.spi.JobListener}: hears every event of every job.</li>
 * </ul>
 */
@NullMarked
package com.dotmac.provisioning.spi;

import org.jspecify.annotations.NullMarked;
