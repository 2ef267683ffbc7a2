/**
 * OpenTelemetry traces of provisioning jobs: {@link com.dotmac.provisioning.opentelemetry.OpenTelemetryJobTracer},
 * the {@link com.dotmac.provisioning.spi.JobTracer} a host gives {@code TenantProvisioner.builder().tracer(...)}
 * (the Spring Boot starter does so when the host has an {@code OpenTelemetry} bean).
 */
@NullMarked
package com.dotmac.provisioning.opentelemetry;

import org.jspecify.annotations.NullMarked;
