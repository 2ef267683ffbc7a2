package com.dotmac.provisioning.opentelemetry;

import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.TraceSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.jspecify.annotations.Nullable;

/**
 * One OpenTelemetry span as the engine sees it: tagged with its job, marked failed with an error code (never a
 * message, which could hold a secret), ended once. Used by one thread at a time, like the span it wraps.
 */
final class OpenTelemetrySpan implements TraceSpan {
    private final Span span;

    OpenTelemetrySpan(Span span) {
        this.span = span;
    }

    @Override
    public @Nullable String traceparent() {
        return TraceContexts.traceparent(span);
    }

    @Override
    public void job(ProvisioningJob job) {
        OpenTelemetryJobTracer.describe(span, job);
    }

    @Override
    public void failed(String errorCode) {
        span.setAttribute(OpenTelemetryJobTracer.ERROR_CODE, errorCode);
        span.setStatus(StatusCode.ERROR, errorCode);
    }

    @Override
    public void close() {
        span.end();
    }
}
