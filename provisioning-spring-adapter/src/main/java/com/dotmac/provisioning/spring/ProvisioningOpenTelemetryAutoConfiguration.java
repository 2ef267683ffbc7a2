package com.dotmac.provisioning.spring;

import com.dotmac.provisioning.opentelemetry.OpenTelemetryJobTracer;
import com.dotmac.provisioning.spi.JobTracer;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Traces the auto-configured provisioner with the host's OpenTelemetry: when {@code provisioning-opentelemetry} is on
 * the class path and the context has an {@link OpenTelemetry} bean (Spring Boot's OpenTelemetry starter, or the
 * host's own), an {@link OpenTelemetryJobTracer} is given to the builder. Nothing otherwise. A {@link JobTracer} bean
 * of the host's replaces the OpenTelemetry one ({@link JobTracer#NONE} turns tracing off).
 */
@AutoConfiguration(before = ProvisioningAutoConfiguration.class, afterName = {
        "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
        "io.opentelemetry.instrumentation.spring.autoconfigure.OpenTelemetryAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "provisioning.enabled", matchIfMissing = true)
@ConditionalOnClass({OpenTelemetryJobTracer.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
public class ProvisioningOpenTelemetryAutoConfiguration {
    /**
     * @param openTelemetry the host's OpenTelemetry
     * @return the tracer of the provisioner's requests, launches, polls and endings
     */
    @Bean
    @ConditionalOnMissingBean(JobTracer.class)
    public JobTracer provisioningJobTracer(OpenTelemetry openTelemetry) {
        return new OpenTelemetryJobTracer(openTelemetry);
    }

    /**
     * @param tracer the tracer bean
     * @return a customizer that gives it to the provisioner's builder
     */
    @Bean
    public TenantProvisionerCustomizer provisioningTracing(JobTracer tracer) {
        return builder -> builder.tracer(tracer);
    }
}
