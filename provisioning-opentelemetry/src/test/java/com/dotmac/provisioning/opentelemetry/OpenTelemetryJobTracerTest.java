package com.dotmac.provisioning.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.JobTracer;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.TraceSpan;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real engine (in-memory repository, scripted runner, manual scheduler on a hand-moved clock) with the
 * OpenTelemetry tracer and an in-memory exporter: a request inside a parent span yields request, launch, poll and end
 * spans in the parent's trace, each naming the job; the launch spec and the job's outbox events carry the request's
 * traceparent; a malformed traceparent is dropped; a failing tracer changes nothing; no tracer passes nothing on.
 */
class OpenTelemetryJobTracerTest {
    private static final Duration POLL = Duration.ofSeconds(15);
    private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("provisioning.job_id");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    private final Tracer callerTracer = openTelemetry.getTracer("the-host's-api");
    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedAutomationRunner runner = new ScriptedAutomationRunner(clock);
    private final InMemoryJobRepository repository = InMemoryJobRepository.recordingEvents();
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final List<ProvisioningEvent> delivered = new ArrayList<>();
    private @Nullable TenantProvisioner provisioner;

    @AfterEach
    void close() {
        if (provisioner != null) {
            provisioner.close();
        }
        openTelemetry.close();
    }

    private TenantProvisioner provisioner(Consumer<TenantProvisioner.Builder> customise) {
        tenants.put("t-1", "acme", "pending");
        runner.defaultScript(Script.succeedAfter(2));
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(repository)
                .runner(runner)
                .tenantDirectory(tenants)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId("node-1")
                .pollInterval(POLL)
                .jitter(() -> 0.5)
                .eventConsumer("test", event -> {
                    synchronized (delivered) {
                        delivered.add(event);
                    }
                });
        customise.accept(builder);
        provisioner = builder.build();
        provisioner.start();
        return provisioner;
    }

    private ProvisioningJob runToEnd(TenantProvisioner p, String jobId) {
        for (int i = 0; i < 50 && !p.job(jobId).orElseThrow().status().isTerminal(); i++) {
            scheduler.runPending();
            p.sweepNow();
            scheduler.runPending();
            clock.advance(POLL);
        }
        scheduler.runOwnThreadTasks();
        return p.job(jobId).orElseThrow();
    }

    private List<SpanData> spans(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    @Test
    void aRequestInsideAParentSpanIsTracedFromTheRequestToTheEndingInTheParentsTrace() {
        TenantProvisioner p = provisioner(b -> b.tracer(new OpenTelemetryJobTracer(openTelemetry)));
        Span parent = callerTracer.spanBuilder("POST /tenants/t-1/provisioning").startSpan();
        ProvisioningJob requested;
        try (Scope ignored = parent.makeCurrent()) {
            requested = p.request(ProvisioningRequest.provision("t-1", DeploymentMode.DOTMAC_HOSTED));
        } finally {
            parent.end();
        }

        ProvisioningJob ended = runToEnd(p, requested.id());

        assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
        String traceId = parent.getSpanContext().getTraceId();
        SpanData request = spans(OpenTelemetryJobTracer.REQUEST).get(0);
        assertThat(spans(OpenTelemetryJobTracer.REQUEST)).hasSize(1);
        assertThat(request.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(spans(OpenTelemetryJobTracer.LAUNCH)).hasSize(1);
        assertThat(spans(OpenTelemetryJobTracer.POLL)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(spans(OpenTelemetryJobTracer.END)).hasSize(1);
        for (String name : List.of(OpenTelemetryJobTracer.REQUEST, OpenTelemetryJobTracer.LAUNCH,
                OpenTelemetryJobTracer.POLL, OpenTelemetryJobTracer.END)) {
            assertThat(spans(name)).as(name).allSatisfy(span -> {
                assertThat(span.getTraceId()).isEqualTo(traceId);
                assertThat(span.getAttributes().get(JOB_ID)).isEqualTo(requested.id());
            });
        }
        assertThat(spans(OpenTelemetryJobTracer.LAUNCH).get(0).getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(spans(OpenTelemetryJobTracer.END).get(0).getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(spans(OpenTelemetryJobTracer.END).get(0).getAttributes()
                .get(AttributeKey.stringKey("provisioning.status"))).isEqualTo("succeeded");
        // the request span's W3C traceparent is kept with the job and given to the playbook and the events
        String traceparent = "00-" + traceId + "-" + request.getSpanId() + "-01";
        assertThat(ended.traceparent()).isEqualTo(traceparent);
        assertThat(runner.launches()).singleElement().extracting(LaunchSpec::extraVars)
                .satisfies(vars -> assertThat(vars).containsEntry(PlaybookVariables.TRACEPARENT, traceparent));
        synchronized (delivered) {
            assertThat(delivered).extracting(ProvisioningEvent::type).contains("job.queued", "job.succeeded");
            assertThat(delivered).allSatisfy(e -> assertThat(e.data())
                    .containsEntry(ProvisioningEvent.TRACEPARENT, traceparent));
        }
    }

    @Test
    void aFailedRunEndsItsTraceWithAnErrorCodeAndNoMessage() {
        TenantProvisioner p = provisioner(b -> b.tracer(new OpenTelemetryJobTracer(openTelemetry)));
        runner.script("t-1", Script.failAfter(1, "install", "web-1", "token=s3cr3t went wrong"));

        ProvisioningJob ended = runToEnd(p, p.request(ProvisioningRequest.provision("t-1",
                DeploymentMode.DOTMAC_HOSTED)).id());

        assertThat(ended.status()).isEqualTo(JobStatus.FAILED);
        SpanData end = spans(OpenTelemetryJobTracer.END).get(0);
        assertThat(end.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(end.getStatus().getDescription()).isEqualTo(ended.errorCode());
        assertThat(exporter.getFinishedSpanItems()).allSatisfy(span -> {
            assertThat(span.getAttributes().toString()).doesNotContain("s3cr3t");
            assertThat(span.getEvents()).isEmpty();
        });
        // without a parent the request starts the trace, and the ending joins it
        assertThat(end.getTraceId()).isEqualTo(spans(OpenTelemetryJobTracer.REQUEST).get(0).getTraceId());
    }

    @Test
    void aMalformedTraceparentIsDroppedNeverStoredNorPassedOn() {
        for (String bad : List.of("garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n{{ lookup('pipe', 'id') }}")) {
            assertThat(ProvisioningJob.builder("j").tenantId("t").tenantSlug("t").operation(Operation.PROVISION)
                    .deploymentMode(DeploymentMode.DOTMAC_HOSTED).createdAt(clock.instant())
                    .updatedAt(clock.instant()).traceparent(bad).build().traceparent()).as(bad).isNull();
        }
        JobTracer garbage = new JobTracer() {
            @Override
            public TraceSpan request(String tenantId, Operation operation) {
                return new TraceSpan() {
                    @Override
                    public String traceparent() {
                        return "00-00000000000000000000000000000000-0000000000000000-01";
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        TenantProvisioner p = provisioner(b -> b.tracer(garbage));

        ProvisioningJob ended = runToEnd(p, p.request(ProvisioningRequest.provision("t-1",
                DeploymentMode.DOTMAC_HOSTED)).id());

        assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.traceparent()).isNull();
        assertThat(runner.launches().get(0).extraVars()).doesNotContainKey(PlaybookVariables.TRACEPARENT);
        synchronized (delivered) {
            assertThat(delivered).isNotEmpty().allSatisfy(e -> assertThat(e.data())
                    .doesNotContainKey(ProvisioningEvent.TRACEPARENT));
        }
    }

    @Test
    void aTracerThatThrowsChangesNothingAndNoTracerPassesNothingOn() {
        JobTracer broken = new JobTracer() {
            @Override
            public TraceSpan request(String tenantId, Operation operation) {
                throw new IllegalStateException("tracing backend down");
            }

            @Override
            public TraceSpan launch(ProvisioningJob job) {
                throw new IllegalStateException("tracing backend down");
            }

            @Override
            public TraceSpan poll(List<ProvisioningJob> jobs) {
                return () -> {
                    throw new IllegalStateException("tracing backend down");
                };
            }

            @Override
            public void ended(ProvisioningJob job) {
                throw new IllegalStateException("tracing backend down");
            }
        };
        TenantProvisioner p = provisioner(b -> b.tracer(broken));

        ProvisioningJob ended = runToEnd(p, p.request(ProvisioningRequest.provision("t-1",
                DeploymentMode.DOTMAC_HOSTED)).id());

        assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.traceparent()).isNull();
        assertThat(runner.launches().get(0).extraVars()).doesNotContainKey(PlaybookVariables.TRACEPARENT);
    }

    @Test
    void withoutATracerAParentSpanIsNotPassedOn() {
        TenantProvisioner p = provisioner(b -> { });
        Span parent = callerTracer.spanBuilder("POST").startSpan();
        ProvisioningJob requested;
        try (Scope ignored = parent.makeCurrent()) {
            requested = p.request(ProvisioningRequest.provision("t-1", DeploymentMode.DOTMAC_HOSTED));
        } finally {
            parent.end();
        }

        ProvisioningJob ended = runToEnd(p, requested.id());

        assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.traceparent()).isNull();
        assertThat(runner.launches().get(0).extraVars()).doesNotContainKey(PlaybookVariables.TRACEPARENT);
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("POST");
    }
}
