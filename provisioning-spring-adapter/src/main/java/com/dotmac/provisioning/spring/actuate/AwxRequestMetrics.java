package com.dotmac.provisioning.spring.actuate;

import com.dotmac.provisioning.awx.AwxRequestListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times every request to AWX: {@code provisioning.awx.requests} (tags method, endpoint, outcome), where outcome is
 * {@code success}, {@code http_<status>} or the runner's error code. Thread-safe.
 */
public final class AwxRequestMetrics implements AwxRequestListener {
    private final MeterRegistry registry;

    /** @param registry where the timers live */
    public AwxRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onRequest(Request request) {
        Timer.builder(ProvisioningMetrics.PREFIX + ".awx.requests").description("requests to AWX by outcome")
                .tag("method", request.method()).tag("endpoint", request.endpoint()).tag("outcome", request.outcome())
                .register(registry).record(request.duration());
    }
}
