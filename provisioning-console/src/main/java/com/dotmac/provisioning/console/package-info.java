/**
 * The operator console: server-rendered pages of jobs, tenants and rollouts inside the host's Spring Boot
 * application and security, turned on with {@code provisioning.console.enabled=true}
 * ({@link com.dotmac.provisioning.console.ProvisioningConsoleAutoConfiguration}).
 */
@NullMarked
package com.dotmac.provisioning.console;

import org.jspecify.annotations.NullMarked;
