package com.dotmac.provisioning.spring.actuate;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.JobListener;
import com.dotmac.provisioning.spi.JobRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Micrometer metrics from job events: {@code provisioning.jobs.created} (tags operation, deployment_mode),
 * {@code provisioning.jobs.finished} and the timer {@code provisioning.jobs.duration} (tags operation, status;
 * from request to terminal state), and the gauge {@code provisioning.runs.in_flight}. Thread-safe.
 */
public final class ProvisioningMetrics implements JobListener {
    /** Metric name prefix. */
    public static final String PREFIX = "provisioning";

    private final MeterRegistry registry;

    /**
     * @param registry where the meters live
     * @param repository counted for the in-flight gauge (read on each scrape)
     */
    public ProvisioningMetrics(MeterRegistry registry, JobRepository repository) {
        this.registry = registry;
        Gauge.builder(PREFIX + ".runs.in_flight", repository, r -> {
            try {
                return r.countRunsInFlight();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description("runs launched or being launched and not yet finished, across all nodes").register(registry);
    }

    @Override
    public void onEvent(ProvisioningJob job, JobEvent event) {
        if (event.type() == JobEventType.CREATED) {
            Counter.builder(PREFIX + ".jobs.created").description("provisioning jobs requested")
                    .tag("operation", job.operation().wireName())
                    .tag("deployment_mode", job.deploymentMode().wireName())
                    .register(registry).increment();
        } else if (event.type() == JobEventType.STATUS_CHANGED && event.to() != null && event.to().isTerminal()) {
            String status = event.to().wireName();
            Counter.builder(PREFIX + ".jobs.finished").description("provisioning jobs that reached a final state")
                    .tag("operation", job.operation().wireName()).tag("status", status)
                    .register(registry).increment();
            Timer.builder(PREFIX + ".jobs.duration").description("from request to final state")
                    .tag("operation", job.operation().wireName()).tag("status", status)
                    .register(registry).record(Duration.between(job.createdAt(), event.at()));
        }
    }
}
