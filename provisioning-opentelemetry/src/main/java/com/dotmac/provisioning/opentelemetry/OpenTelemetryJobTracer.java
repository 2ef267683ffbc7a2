package com.dotmac.provisioning.opentelemetry;

import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.JobTracer;
import com.dotmac.provisioning.spi.TraceSpan;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Traces provisioning jobs with OpenTelemetry. Spans:
 * <ul>
 *   <li>{@value #REQUEST}: a submit or retry, a child of the caller's current context (e.g. the HTTP server span of
 *       the API call); its W3C traceparent is stored with the job;</li>
 *   <li>{@value #LAUNCH}: each launch call of the job's run, a child of the stored traceparent (on any node, after
 *       a restart too);</li>
 *   <li>{@value #POLL}: each poll of runs (one runner call); for one job, or a batch whose jobs share one trace, a
 *       child of that trace, else a new trace linked to every job's; attribute {@value #COUNT_KEY};</li>
 *   <li>{@value #END}: the job's ending (the write that made it terminal), a child of the stored traceparent.</li>
 * </ul>
 * Attributes {@value #JOB_ID_KEY}, {@value #TENANT_ID_KEY}, {@value #OPERATION_KEY}, {@value #STATUS_KEY}; a failure
 * sets the span's status to error with the library's error code ({@value #ERROR_CODE_KEY}), never a message, so no
 * secret reaches a trace. Thread-safe (as OpenTelemetry's tracers are).
 */
public final class OpenTelemetryJobTracer implements JobTracer {
    /** The instrumentation scope name. */
    public static final String SCOPE = "com.dotmac.provisioning";
    /** The request span's name. */
    public static final String REQUEST = "provisioning.request";
    /** The launch span's name. */
    public static final String LAUNCH = "provisioning.launch";
    /** The poll span's name. */
    public static final String POLL = "provisioning.poll";
    /** The ending span's name. */
    public static final String END = "provisioning.end";
    /** The job id attribute's name. */
    public static final String JOB_ID_KEY = "provisioning.job_id";
    /** The tenant id attribute's name. */
    public static final String TENANT_ID_KEY = "provisioning.tenant_id";
    /** The operation attribute's name ({@code provision}, {@code upgrade}, {@code decommission}). */
    public static final String OPERATION_KEY = "provisioning.operation";
    /** The job status attribute's name (its wire name). */
    public static final String STATUS_KEY = "provisioning.status";
    /** The error code attribute's name. */
    public static final String ERROR_CODE_KEY = "provisioning.error_code";
    /** The poll span's attribute: how many runs it polled. */
    public static final String COUNT_KEY = "provisioning.count";

    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey(JOB_ID_KEY);
    static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey(TENANT_ID_KEY);
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey(OPERATION_KEY);
    static final AttributeKey<String> STATUS = AttributeKey.stringKey(STATUS_KEY);
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey(ERROR_CODE_KEY);
    static final AttributeKey<Long> COUNT = AttributeKey.longKey(COUNT_KEY);

    private final Tracer tracer;

    /**
     * @param openTelemetry the host's OpenTelemetry (its tracer provider; the stored traceparent is always W3C)
     */
    public OpenTelemetryJobTracer(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
    }

    @Override
    public TraceSpan request(String tenantId, Operation operation) {
        Span span = tracer.spanBuilder(REQUEST)
                .setParent(Context.current())
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TENANT_ID, tenantId)
                .setAttribute(OPERATION, operation.wireName())
                .startSpan();
        return new OpenTelemetrySpan(span);
    }

    @Override
    public TraceSpan launch(ProvisioningJob job) {
        Span span = inTraceOf(job, tracer.spanBuilder(LAUNCH)).setSpanKind(SpanKind.CLIENT).startSpan();
        describe(span, job);
        return new OpenTelemetrySpan(span);
    }

    @Override
    public TraceSpan poll(List<ProvisioningJob> jobs) {
        SpanBuilder builder = tracer.spanBuilder(POLL).setSpanKind(SpanKind.CLIENT)
                .setAttribute(COUNT, (long) jobs.size());
        Set<String> traces = new LinkedHashSet<>();
        for (ProvisioningJob job : jobs) {
            SpanContext context = TraceContexts.spanContext(job.traceparent());
            traces.add(context == null ? "" : context.getTraceId());
        }
        if (jobs.size() == 1 || (traces.size() == 1 && !traces.contains(""))) {
            inTraceOf(jobs.get(0), builder);
        } else {
            builder.setNoParent();
            for (ProvisioningJob job : jobs) {
                SpanContext context = TraceContexts.spanContext(job.traceparent());
                if (context != null) {
                    builder.addLink(context);
                }
            }
        }
        Span span = builder.startSpan();
        if (jobs.size() == 1) {
            describe(span, jobs.get(0));
        }
        return new OpenTelemetrySpan(span);
    }

    @Override
    public void ended(ProvisioningJob job) {
        Span span = inTraceOf(job, tracer.spanBuilder(END)).setSpanKind(SpanKind.INTERNAL).startSpan();
        describe(span, job);
        if (job.status() != JobStatus.SUCCEEDED) {
            String code = job.errorCode() != null ? job.errorCode() : job.status().wireName();
            span.setAttribute(ERROR_CODE, code);
            span.setStatus(StatusCode.ERROR, code);
        }
        span.end();
    }

    /** Makes the span a child of the job's stored traceparent; a job without one starts a trace of its own. */
    private static SpanBuilder inTraceOf(ProvisioningJob job, SpanBuilder builder) {
        SpanContext stored = TraceContexts.spanContext(job.traceparent());
        return stored == null ? builder.setNoParent()
                : builder.setParent(Context.root().with(Span.wrap(stored)));
    }

    /** Sets the job's attributes on a span. */
    static void describe(Span span, ProvisioningJob job) {
        span.setAttribute(JOB_ID, job.id());
        span.setAttribute(TENANT_ID, job.tenantId());
        span.setAttribute(OPERATION, job.operation().wireName());
        span.setAttribute(STATUS, job.status().wireName());
    }

    /** @return the tracer's name for logs */
    @Override
    public String toString() {
        return "OpenTelemetryJobTracer[" + SCOPE + "]";
    }
}
