/**
 * Spring Boot auto-configuration of the tenant provisioning library: add the dependency, set a few
 * {@code provisioning.*} properties ({@link com.dotmac.provisioning.spring.ProvisioningProperties}), and a
 * {@link com.dotmac.provisioning.TenantProvisioner} runs with the context, durable when a {@code DataSource} exists,
 * with its REST API behind the host's security. Beans of the host replace the library's, and
 * {@link com.dotmac.provisioning.spring.TenantProvisionerCustomizer} beans change what no property covers.
 */
@NullMarked
package com.dotmac.provisioning.spring;

import org.jspecify.annotations.NullMarked;
