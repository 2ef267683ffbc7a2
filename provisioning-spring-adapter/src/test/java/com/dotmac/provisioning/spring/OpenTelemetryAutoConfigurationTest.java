package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.opentelemetry.OpenTelemetryJobTracer;
import com.dotmac.provisioning.spi.JobTracer;
import com.dotmac.provisioning.spi.TenantDirectory;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The OpenTelemetry tracer is auto-configured when the module is on the class path and the context has an
 * {@link OpenTelemetry} bean; nothing otherwise.
 */
class OpenTelemetryAutoConfigurationTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ProvisioningOpenTelemetryAutoConfiguration.class,
                    ProvisioningAutoConfiguration.class))
            .withBean(TenantDirectory.class, () -> new InMemoryTenantDirectory().put("acme", "acme", "pending"))
            .withPropertyValues("provisioning.runner=scripted");

    private OpenTelemetry openTelemetry() {
        return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    }

    private static ProvisioningJob request(TenantProvisioner provisioner) {
        return provisioner.request(ProvisioningRequest.provision("acme", DeploymentMode.DOTMAC_HOSTED));
    }

    @Test
    void anOpenTelemetryBeanTracesTheProvisioner() {
        runner.withBean(OpenTelemetry.class, this::openTelemetry).run(ctx -> {
            assertThat(ctx).hasSingleBean(JobTracer.class);
            assertThat(ctx.getBean(JobTracer.class)).isInstanceOf(OpenTelemetryJobTracer.class);

            ProvisioningJob job = request(ctx.getBean(TenantProvisioner.class));

            assertThat(job.traceparent()).isNotNull();
            assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                    .contains(OpenTelemetryJobTracer.REQUEST);
        });
    }

    @Test
    void withoutAnOpenTelemetryBeanNothingIsTraced() {
        runner.run(ctx -> {
            assertThat(ctx).doesNotHaveBean(JobTracer.class);
            assertThat(request(ctx.getBean(TenantProvisioner.class)).traceparent()).isNull();
        });
    }

    @Test
    void withoutTheModuleOnTheClassPathNothingIsTraced() {
        runner.withBean(OpenTelemetry.class, this::openTelemetry)
                .withClassLoader(new FilteredClassLoader(OpenTelemetryJobTracer.class)).run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(JobTracer.class);
                    assertThat(request(ctx.getBean(TenantProvisioner.class)).traceparent()).isNull();
                });
    }

    @Test
    void aJobTracerOfTheHostsWins() {
        runner.withBean(OpenTelemetry.class, this::openTelemetry).withBean(JobTracer.class, () -> JobTracer.NONE)
                .run(ctx -> {
                    assertThat(ctx.getBean(JobTracer.class)).isSameAs(JobTracer.NONE);
                    assertThat(request(ctx.getBean(TenantProvisioner.class)).traceparent()).isNull();
                    assertThat(exporter.getFinishedSpanItems()).isEmpty();
                });
    }
}
