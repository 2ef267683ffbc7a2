package com.dotmac.provisioning.spi;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import java.util.List;

/**
 * Traces a job's life, for a tracing system the host uses (the {@code provisioning-opentelemetry} module implements
 * it with OpenTelemetry); the core knows no tracing library. The engine opens a span for the request
 * ({@link #request}), each launch call ({@link #launch}), each poll of runs ({@link #poll}) and marks the ending
 * ({@link #ended}). The request span's {@link TraceSpan#traceparent()} is stored with the job
 * ({@link ProvisioningJob#traceparent()}, when well-formed), so that the later spans, on any node and after a
 * restart, join the request's trace, and the launch passes it to the automation.
 *
 * <p>Every method has a default that traces nothing ({@link #NONE}). Implementations must be thread-safe and must
 * not throw (the engine logs and ignores what one throws); they may be called on any engine thread.
 */
public interface JobTracer {
    /** Traces nothing: the default. */
    JobTracer NONE = new JobTracer() {
    };

    /**
     * Opens the span of a request (submit or retry), on the caller's thread, as a child of the caller's current
     * trace context.
     *
     * @param tenantId the tenant named by the request
     * @param operation the operation requested
     * @return the span; the engine names its job once stored, then closes it
     */
    default TraceSpan request(String tenantId, Operation operation) {
        return TraceSpan.NONE;
    }

    /**
     * Opens the span of one launch call of a job's run, a child of the job's stored traceparent.
     *
     * @param job the job being launched
     * @return the span; closed when the runner answered
     */
    default TraceSpan launch(ProvisioningJob job) {
        return TraceSpan.NONE;
    }

    /**
     * Opens the span of one poll of runs in flight (one runner call for a batch of jobs, or for one job).
     *
     * @param jobs the jobs whose runs are polled, at least one
     * @return the span; closed when the runner answered
     */
    default TraceSpan poll(List<ProvisioningJob> jobs) {
        return TraceSpan.NONE;
    }

    /**
     * Marks a job's ending: called once the change that made the job terminal was written.
     *
     * @param job the job as written, terminal
     */
    default void ended(ProvisioningJob job) {
    }
}
