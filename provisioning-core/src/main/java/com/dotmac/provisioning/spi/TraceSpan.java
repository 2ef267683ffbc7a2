package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.ProvisioningJob;
import org.jspecify.annotations.Nullable;

/**
 * One span a {@link JobTracer} opened for the engine: the engine tags it with its job, marks it failed, and closes
 * it (exactly once, on the thread that opened it). Implementations must not throw; the engine guards every call all
 * the same. Implementations are used by one thread at a time.
 */
public interface TraceSpan extends AutoCloseable {
    /** The span of a tracer that traces nothing. */
    TraceSpan NONE = () -> { };

    /**
     * @return the span's own W3C {@code traceparent} (for the request span, what the job stores and later spans
     *     follow), or null when it has none
     */
    default @Nullable String traceparent() {
        return null;
    }

    /**
     * Names the job the span is about (the request span learns it once the job is stored).
     *
     * @param job the job
     */
    default void job(ProvisioningJob job) {
    }

    /**
     * Marks the span failed. The engine passes a stable error code (e.g. {@code AWX_UNAVAILABLE}), never a message,
     * so that no secret reaches a trace.
     *
     * @param errorCode what went wrong
     */
    default void failed(String errorCode) {
    }

    /** Ends the span. */
    @Override
    void close();
}
