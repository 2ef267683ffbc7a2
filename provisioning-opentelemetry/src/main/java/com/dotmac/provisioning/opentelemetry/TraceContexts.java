package com.dotmac.provisioning.opentelemetry;

import com.dotmac.provisioning.rules.TraceparentRules;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Converts between a stored W3C {@code traceparent} and OpenTelemetry's span context, with the W3C propagator (a
 * stored value is the W3C form whatever propagators the host configured). Stateless and thread-safe.
 */
final class TraceContexts {
    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<String> ONLY_TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public @Nullable String get(@Nullable String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private TraceContexts() {
    }

    /**
     * @param traceparent a job's stored traceparent, or null
     * @return the remote span context it names, or null when there is none or it is not well-formed
     */
    static @Nullable SpanContext spanContext(@Nullable String traceparent) {
        if (!TraceparentRules.isValid(traceparent)) {
            return null;
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent,
                ONLY_TRACEPARENT);
        SpanContext context = Span.fromContext(extracted).getSpanContext();
        return context.isValid() ? context : null;
    }

    /**
     * @param span a span
     * @return its W3C traceparent, or null when its context is not valid (a no-op tracer's span)
     */
    static @Nullable String traceparent(Span span) {
        SpanContext context = span.getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        return TraceparentRules.validOrNull("00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                + context.getTraceFlags().asHex());
    }
}
