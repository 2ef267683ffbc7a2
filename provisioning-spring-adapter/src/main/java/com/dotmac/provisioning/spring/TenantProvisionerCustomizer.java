package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.TenantProvisioner;

/**
 * Changes the {@link TenantProvisioner.Builder} of the auto-configured provisioner for what no property covers.
 * Every bean of this type is applied after the {@code provisioning.*} properties (and the {@code JobListener}
 * beans), in {@link org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order, just before {@link TenantProvisioner.Builder#build()}; a later customizer sees, and may override, what an
 * earlier one set. A {@link TenantProvisioner} bean of the host's own replaces the auto-configured one, and with it
 * every customizer.
 *
 * <pre>{@code
 * @Bean
 * TenantProvisionerCustomizer auditTrail(AuditLog audit) {
 *     return builder -> builder
 *             .listener((job, event) -> audit.record(job.id(), event))  // a listener that is no bean
 *             .claimBatchSize(50);                                      // or any setting, over its property
 * }
 *
 * @Bean
 * @Order(Ordered.LOWEST_PRECEDENCE)
 * TenantProvisionerCustomizer fixedJitter() {
 *     return builder -> builder.jitter(() -> 0.5);                  // a fixed retry back-off, e.g. in a test
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TenantProvisionerCustomizer {

    /**
     * @param builder the builder, already holding the properties' settings, the runner, the repository and the
     *     other beans; not yet built
     */
    void customize(TenantProvisioner.Builder builder);
}
