/**
 * Durable jobs in the platform's own database, over plain JDBC (no Spring, no ORM).
 *
 * <ul>
 *   <li>{@link com.dotmac.provisioning.jdbc.JdbcJobRepository}: the engine's
 *       {@link com.dotmac.provisioning.spi.JobRepository} on PostgreSQL, H2 or MySQL 8 / MariaDB 10.6+;</li>
 *   <li>{@link com.dotmac.provisioning.jdbc.JdbcRolloutRepository}: the engine's
 *       {@link com.dotmac.provisioning.spi.RolloutRepository} (fleet rollouts) on the same databases;</li>
 *   <li>{@link com.dotmac.provisioning.jdbc.JdbcWebhookDeliveryStore}: the webhook senders'
 *       {@link com.dotmac.provisioning.spi.WebhookDeliveryStore} (delivery queue and dead letters) on the same
 *       databases;</li>
 *   <li>{@link com.dotmac.provisioning.jdbc.JdbcTenantDirectory}: the host's own tenants table as the engine's
 *       {@link com.dotmac.provisioning.spi.TenantDirectory};</li>
 *   <li>{@link com.dotmac.provisioning.jdbc.JdbcSchemaInitializer}: creates the tables for hosts without Flyway;
 *       the same SQL ships as Flyway migrations under {@code db/migration/tenant-provisioning/<dialect>}
 *       ({@link com.dotmac.provisioning.jdbc.JdbcDialect#migrationLocation()}).</li>
 * </ul>
 *
 * <p>Every class here is thread-safe, holds no connection between calls and binds every value as a statement
 * parameter.
 */
@NullMarked
package com.dotmac.provisioning.jdbc;

import org.jspecify.annotations.NullMarked;
