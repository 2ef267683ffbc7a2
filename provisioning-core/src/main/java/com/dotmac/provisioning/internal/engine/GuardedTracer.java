package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.rules.TraceparentRules;
import com.dotmac.provisioning.spi.JobTracer;
import com.dotmac.provisioning.spi.TraceSpan;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link JobTracer} as the engine calls it: whatever the tracer or one of its spans throws is logged
 * (its class only) and ignored, so tracing never changes what happens to a job; a span's traceparent that is not
 * well-formed ({@link TraceparentRules}) is dropped. Thread-safe when the tracer is.
 */
final class GuardedTracer implements JobTracer {
    private static final Logger log = LoggerFactory.getLogger(GuardedTracer.class);

    private final JobTracer tracer;

    private GuardedTracer(JobTracer tracer) {
        this.tracer = tracer;
    }

    /**
     * @param tracer the host's tracer
     * @return it guarded (the no-op tracer as it is, a guarded one as it is)
     */
    static JobTracer of(JobTracer tracer) {
        return tracer == JobTracer.NONE || tracer instanceof GuardedTracer ? tracer : new GuardedTracer(tracer);
    }

    @Override
    public TraceSpan request(String tenantId, Operation operation) {
        try {
            return new Guarded(tracer.request(tenantId, operation));
        } catch (RuntimeException e) {
            return ignored("request", e);
        }
    }

    @Override
    public TraceSpan launch(ProvisioningJob job) {
        try {
            return new Guarded(tracer.launch(job));
        } catch (RuntimeException e) {
            return ignored("launch", e);
        }
    }

    @Override
    public TraceSpan poll(List<ProvisioningJob> jobs) {
        try {
            return new Guarded(tracer.poll(jobs));
        } catch (RuntimeException e) {
            return ignored("poll", e);
        }
    }

    @Override
    public void ended(ProvisioningJob job) {
        try {
            tracer.ended(job);
        } catch (RuntimeException e) {
            ignored("ended", e);
        }
    }

    private static TraceSpan ignored(String what, RuntimeException e) {
        log.warn("job tracer failed in {} ({}); tracing is skipped there, the job is not affected", what,
                e.getClass().getName());
        return TraceSpan.NONE;
    }

    /** A span whose calls never throw. */
    private static final class Guarded implements TraceSpan {
        private final TraceSpan span;

        Guarded(TraceSpan span) {
            this.span = span;
        }

        @Override
        public @Nullable String traceparent() {
            try {
                return TraceparentRules.validOrNull(span.traceparent());
            } catch (RuntimeException e) {
                ignored("traceparent", e);
                return null;
            }
        }

        @Override
        public void job(ProvisioningJob job) {
            try {
                span.job(job);
            } catch (RuntimeException e) {
                ignored("job", e);
            }
        }

        @Override
        public void failed(String errorCode) {
            try {
                span.failed(errorCode);
            } catch (RuntimeException e) {
                ignored("failed", e);
            }
        }

        @Override
        public void close() {
            try {
                span.close();
            } catch (RuntimeException e) {
                ignored("close", e);
            }
        }
    }
}
